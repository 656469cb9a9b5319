package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join reads only the dates, and keeps only the snapshots, that some row can use. */
class JoinPruningTest {
    private static final long MIDNIGHT = Instant.parse("2026-10-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private long totalSnapshots;

    @BeforeEach
    void writeTwoDays() {
        Random random = new Random(4);
        List<SnapshotHistory.Event> events = new ArrayList<>();
        for (long ts = MIDNIGHT - 120 * MINUTE; ts < MIDNIGHT + 120 * MINUTE; ts += 20_000) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", 1L + random.nextInt(5));
            fields.put("merchant", "m1");
            fields.put("amount", 2.0);
            fields.put("country", "FR");
            events.add(new SnapshotHistory.Event(ts, ts, fields));
        }
        SnapshotHistory history = new SnapshotHistory(TestViews.definitions(), events);
        history.writeTo(dir.resolve("store"), random, 40);
        totalSnapshots = history.snapshots("user_pay").size();
    }

    @Test
    void rowsOfOneDateReadOnlyThatDatesFiles() throws IOException {
        TrainingSetResult before = join(MIDNIGHT - 100 * MINUTE, MIDNIGHT - 30 * MINUTE);
        assertThat(before.snapshotFilesRead()).isEqualTo(files("2026-10-01"));
        assertThat(before.snapshotsUsed()).isPositive().isLessThan(totalSnapshots / 2);

        // ttl 20 minutes: rows from 00:30 on cannot use anything of the day before.
        TrainingSetResult after = join(MIDNIGHT + 30 * MINUTE, MIDNIGHT + 90 * MINUTE);
        assertThat(after.snapshotFilesRead()).isEqualTo(files("2026-10-02"));

        TrainingSetResult across = join(MIDNIGHT + 5 * MINUTE, MIDNIGHT + 10 * MINUTE);
        assertThat(across.snapshotFilesRead()).isEqualTo(files("2026-10-01") + files("2026-10-02"));
        assertThat(across.snapshotsUsed()).isLessThan(totalSnapshots / 4);
    }

    private TrainingSetResult join(long from, long to) throws IOException {
        Path rows = dir.resolve("rows.csv");
        List<String> lines = new ArrayList<>(List.of("user_id,event_timestamp"));
        for (long t = from; t <= to; t += MINUTE) {
            lines.add((1 + (t / MINUTE) % 5) + "," + t);
        }
        Files.write(rows, lines);
        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build())) {
            return join.write(
                    TrainingSetRequest.of(rows, List.of("user_pay:count_5m"), dir.resolve("out.csv")),
                    ProgressListener.NONE);
        }
    }

    private long files(String date) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("store/user_pay/date=" + date))) {
            return files.count();
        }
    }
}
