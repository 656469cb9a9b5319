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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The join reads only the dates, and keeps only the snapshots (as known at t) or events (in event time),
 * that some row can use: for {@code count_5m} of a view with a 20-minute ttl, a snapshot or event can
 * matter for 20 minutes after its time.
 */
class JoinPruningTest {
    private static final long MIDNIGHT = Instant.parse("2026-10-02T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private long totalSnapshots;
    private long totalEvents;

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
        totalEvents = history.archived().size();
    }

    @ParameterizedTest
    @CsvSource({"true, user_pay", "false, _events/payments"})
    void rowsOfOneDateReadOnlyThatDatesFiles(boolean asKnownAt, String directory) throws IOException {
        long total = asKnownAt ? totalSnapshots : totalEvents;
        String day1 = directory + "/date=2026-10-01";
        String day2 = directory + "/date=2026-10-02";
        TrainingSetResult before = join(MIDNIGHT - 100 * MINUTE, MIDNIGHT - 30 * MINUTE, asKnownAt);
        assertThat(before.snapshotFilesRead()).isEqualTo(files(day1));
        assertThat(before.snapshotsUsed()).isPositive().isLessThan(total / 2);

        // ttl 20 minutes (longer than the 5-minute window plus the granularity): rows from 00:30 on cannot
        // use any snapshot or event of the day before.
        TrainingSetResult after = join(MIDNIGHT + 30 * MINUTE, MIDNIGHT + 90 * MINUTE, asKnownAt);
        assertThat(after.snapshotFilesRead()).isEqualTo(files(day2));

        TrainingSetResult across = join(MIDNIGHT + 5 * MINUTE, MIDNIGHT + 10 * MINUTE, asKnownAt);
        assertThat(across.snapshotFilesRead()).isEqualTo(files(day1) + files(day2));
        assertThat(across.snapshotsUsed()).isLessThan(total / 4);
        assertThat(across.eventsSkipped()).isZero();
    }

    @Test
    void aFeatureWithoutAWindowReadsEveryEarlierDate() throws IOException {
        // last_country has no window: the latest value ever seen, so every event before the rows may matter.
        TrainingSetResult after = join(MIDNIGHT + 30 * MINUTE, MIDNIGHT + 90 * MINUTE, false, "user_pay:last_country");
        assertThat(after.snapshotFilesRead())
                .isEqualTo(files("_events/payments/date=2026-10-01") + files("_events/payments/date=2026-10-02"));
        TrainingSetResult before =
                join(MIDNIGHT - 100 * MINUTE, MIDNIGHT - 30 * MINUTE, false, "user_pay:last_country");
        assertThat(before.snapshotFilesRead()).isEqualTo(files("_events/payments/date=2026-10-01"));
    }

    private TrainingSetResult join(long from, long to, boolean asKnownAt) throws IOException {
        return join(from, to, asKnownAt, "user_pay:count_5m");
    }

    private TrainingSetResult join(long from, long to, boolean asKnownAt, String feature) throws IOException {
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
                    TrainingSetRequest.of(rows, List.of(feature), dir.resolve("out.csv"))
                            .withAsKnownAt(asKnownAt),
                    ProgressListener.NONE);
        }
    }

    private long files(String dateDir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("store/" + dateDir))) {
            return files.count();
        }
    }
}
