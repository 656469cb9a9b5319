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
import org.apache.commons.io.FileUtils;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A join that cannot read the store fails with the file named, and leaves nothing behind; a join of a view
 * with no data at all (no snapshot as known at t, no event history in event time) is an error naming what
 * is missing and where it was looked for, not a column of nulls.
 */
class JoinFailuresTest {
    private static final long T0 = Instant.parse("2026-10-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "true, user_pay/date=2026-10-01/fathom.snapshots.user_pay+0+5000+5001.parquet",
        "false, _events/payments/date=2026-10-01/payments+0+5000+5001.parquet"
    })
    void aCorruptFileFailsTheJoinNamingTheFileAndLeavesNoSpillOrOutput(boolean asKnownAt, String file)
            throws IOException {
        writeHistory();
        Files.writeString(dir.resolve("store").resolve(file), "not parquet at all");
        Path rows = oneRow(T0 + 50_000);

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build())) {
            assertThatWriteFails(join, rows, dir.resolve("out/train.parquet"), asKnownAt)
                    .isInstanceOf(OfflineException.class)
                    .hasMessageContaining(file.substring(file.lastIndexOf('/') + 1));
        }
        assertThat(dir.resolve("spill")).isEmptyDirectory();
        assertThat(dir.resolve("out")).isEmptyDirectory();
    }

    private void writeHistory() {
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
    }

    @Test
    void aStoreThatDoesNotExistIsAnErrorNamingThePath() throws IOException {
        Path rows = oneRow(T0);
        Path missing = dir.resolve("no-such-store");

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(missing).build(),
                JoinOptions.builder().build())) {
            assertThatWriteFails(join, rows, dir.resolve("train.parquet"), true)
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("no-such-store")
                    .hasMessageContaining("does not exist");
            assertThatWriteFails(join, rows, dir.resolve("train.parquet"), false)
                    .isInstanceOf(NoEventHistoryException.class)
                    .hasMessageContaining("source payments")
                    .hasMessageContaining("no-such-store")
                    .hasMessageContaining("does not exist")
                    .hasMessageContaining("--as-known-at");
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
            assertThatWriteFails(join, rows, dir.resolve("train.parquet"), true)
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("view user_pay")
                    .hasMessageContaining("store/user_pay");
            List<EntityRow> oneRow = List.of(new EntityRow(Map.of("user_id", 1L, "merchant", "m1"), T0));
            assertThatThrownBy(() -> join.join(oneRow, List.of("user_pay:*"), true))
                    .isInstanceOf(NoSnapshotsException.class)
                    .hasMessageContaining("view user_pay");
            assertThatThrownBy(() -> join.join(oneRow, List.of("user_pay:*"), false))
                    .isInstanceOf(NoEventHistoryException.class)
                    .hasMessageContaining("no event history of source payments (view user_pay)")
                    .hasMessageContaining("store/_events/payments")
                    .hasMessageContaining("--as-known-at")
                    .hasMessageContaining("\"as_known_at\": true");
        }
        assertThat(dir.resolve("train.parquet")).doesNotExist();
    }

    @Test
    void aSourceWithOnlySnapshotsHasNoEventHistoryButItsSnapshotsServeAsKnownAt() throws IOException {
        writeHistory();
        FileUtils.deleteDirectory(dir.resolve("store/_events").toFile());
        Path history = Files.createDirectories(dir.resolve("empty-history/date=2026-10-01"));
        List<EntityRow> oneRow = List.of(new EntityRow(Map.of("user_id", 1L, "merchant", "m1"), T0 + 50_000));

        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build(),
                Map.of("payments", List.of(history.getParent().toUri())))) {
            assertThatThrownBy(() -> join.join(oneRow, List.of("pair_pay:*"), false))
                    .isInstanceOf(NoEventHistoryException.class)
                    .hasMessageContaining("source payments (view pair_pay)")
                    .hasMessageContaining("store/_events/payments")
                    .hasMessageContaining("empty-history");
            assertThat(join.join(oneRow, List.of("pair_pay:*"), true)).hasSize(1);
        }
    }

    /** A rows file of one row: user 1 at merchant m1, at {@code t}. */
    private Path oneRow(long t) throws IOException {
        return Files.write(dir.resolve("rows.csv"), List.of("user_id,merchant,event_timestamp", "1,m1," + t));
    }

    /** Asserts that writing the training set of {@code user_pay:*} for the rows to {@code out} fails. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatWriteFails(
            PointInTimeJoin join, Path rows, Path out, boolean asKnownAt) {
        return assertThatThrownBy(() -> join.write(
                TrainingSetRequest.of(rows, List.of("user_pay:*"), out).withAsKnownAt(asKnownAt),
                ProgressListener.NONE));
    }
}
