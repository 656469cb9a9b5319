package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A join that cannot read the store fails with the file named, and leaves nothing behind. */
class JoinFailuresTest {
    private static final long T0 = Instant.parse("2026-10-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void aCorruptSnapshotFileFailsTheJoinNamingTheFileAndLeavesNoSpillOrOutput() throws IOException {
        Random random = new Random(9);
        List<SnapshotHistory.Event> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", 1L + random.nextInt(5));
            fields.put("merchant", "m1");
            fields.put("amount", 1.0);
            fields.put("country", "FR");
            events.add(new SnapshotHistory.Event(T0 + i * 1000L, T0 + i * 1000L, fields));
        }
        new SnapshotHistory(TestViews.definitions(), events).writeTo(dir.resolve("store"), random, 10);
        Path corrupt = dir.resolve("store/user_pay/date=2026-10-01/fathom.snapshots.user_pay+0+5000+5001.parquet");
        Files.writeString(corrupt, "not parquet at all");
        Path rows = oneRow(T0 + 50_000);

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build())) {
            assertThatWriteFails(join, rows, dir.resolve("out/train.parquet"))
                    .isInstanceOf(OfflineException.class)
                    .hasMessageContaining("fathom.snapshots.user_pay+0+5000+5001.parquet");
        }
        assertThat(dir.resolve("spill")).isEmptyDirectory();
        assertThat(dir.resolve("out")).isEmptyDirectory();
    }

    @Test
    void aStoreThatDoesNotExistIsAnErrorNamingThePath() throws IOException {
        Path rows = oneRow(T0);
        Path missing = dir.resolve("no-such-store");

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(missing).build(),
                JoinOptions.builder().build())) {
            assertThatWriteFails(join, rows, dir.resolve("train.parquet"))
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("no-such-store")
                    .hasMessageContaining("does not exist");
        }
        assertThat(dir.resolve("train.parquet")).doesNotExist();
    }

    @Test
    void aViewWithoutAnyFileIsAnErrorNamingTheViewAndItsDirectory() throws IOException {
        Files.createDirectories(dir.resolve("store/some_other_view/date=2026-10-01"));
        Path rows = oneRow(T0);

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().build())) {
            assertThatWriteFails(join, rows, dir.resolve("train.parquet"))
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("view user_pay")
                    .hasMessageContaining("store/user_pay");
            assertThatThrownBy(() -> join.join(
                            List.of(new EntityRow(Map.of("user_id", 1L, "merchant", "m1"), T0)),
                            List.of("user_pay:*"),
                            false))
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("view user_pay");
        }
    }

    /** A rows file of one row: user 1 at merchant m1, at {@code t}. */
    private Path oneRow(long t) throws IOException {
        return Files.write(dir.resolve("rows.csv"), List.of("user_id,merchant,event_timestamp", "1,m1," + t));
    }

    /** Asserts that writing the training set of {@code user_pay:*} for the rows to {@code out} fails. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatWriteFails(
            PointInTimeJoin join, Path rows, Path out) {
        return assertThatThrownBy(
                () -> join.write(TrainingSetRequest.of(rows, List.of("user_pay:*"), out), ProgressListener.NONE));
    }
}
