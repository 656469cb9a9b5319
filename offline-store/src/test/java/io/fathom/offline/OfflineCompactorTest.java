package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.offline.internal.SnapshotFileName;
import io.fathom.offline.internal.SnapshotSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction merges a date's files per partition and never changes what the join returns. */
class OfflineCompactorTest {
    private static final long T0 = Instant.parse("2026-10-01T23:00:00Z").toEpochMilli();
    private static final List<String> FEATURES = List.of("user_pay:*", "pair_pay:*");

    @TempDir
    Path dir;

    @Test
    void mergesEachPartitionsFilesIntoOneWithoutChangingTheJoin() throws IOException {
        Random random = new Random(5);
        Path store = writeStore(random, 12);
        List<EntityRow> rows = rows(random);
        List<TrainingRow> before = join(store, rows);
        Map<String, List<Long>> offsetsBefore = offsets(store);
        assertThat(files(store, "user_pay")).hasSizeGreaterThan(10);

        try (OfflineCompactor compactor =
                new OfflineCompactor(OfflineStoreConfig.builder(store).build())) {
            for (String view : List.of("user_pay", "pair_pay")) {
                assertThat(compactor.dates(view)).containsExactly(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2));
                for (LocalDate date : compactor.dates(view)) {
                    CompactionResult result = compactor.compact(view, date);
                    assertThat(result.filesAfter()).isEqualTo(SnapshotHistory.PARTITIONS);
                    assertThat(result.duplicateRowsDropped()).isZero();
                }
            }
        }

        for (String view : List.of("user_pay", "pair_pay")) {
            for (Path file : files(store, view)) {
                SnapshotFileName name =
                        SnapshotFileName.parse(file.getFileName().toString()).orElseThrow();
                List<Long> offsets = offsetsOf(file);
                assertThat(offsets).isSorted().doesNotHaveDuplicates();
                assertThat(offsets.get(0)).isEqualTo(name.startOffset());
                assertThat(offsets.get(offsets.size() - 1)).isEqualTo(name.endOffset());
            }
        }
        assertThat(offsets(store)).isEqualTo(offsetsBefore);
        assertThat(join(store, rows)).isEqualTo(before);
    }

    @Test
    void aCrashBetweenTheMergedFileAndTheDeletesLeavesDuplicatesThatTheJoinIgnoresAndTheNextRunRemoves()
            throws IOException {
        Random random = new Random(6);
        Path store = writeStore(random, 10);
        List<EntityRow> rows = rows(random);
        List<TrainingRow> before = join(store, rows);
        Path date = store.resolve("user_pay/" + Layout.DATE_PREFIX + "2026-10-01");
        Path saved = dir.resolve("saved");
        copy(date, saved);

        try (OfflineCompactor compactor =
                new OfflineCompactor(OfflineStoreConfig.builder(store).build())) {
            compactor.compact("user_pay", LocalDate.of(2026, 10, 1));
            copy(saved, date); // the inputs are back, beside the merged files: as if the deletes never ran
            assertThat(join(store, rows)).isEqualTo(before);

            CompactionResult again = compactor.compact("user_pay", LocalDate.of(2026, 10, 1));
            assertThat(again.filesAfter()).isEqualTo(SnapshotHistory.PARTITIONS);
            assertThat(again.rowsWritten()).isZero();
        }
        try (Stream<Path> left = Files.list(date)) {
            assertThat(left).hasSize(SnapshotHistory.PARTITIONS);
        }
        assertThat(join(store, rows)).isEqualTo(before);
    }

    @Test
    void overlappingFilesAreMergedKeepingEachOffsetOnce() throws IOException {
        Random random = new Random(8);
        SnapshotHistory history = new SnapshotHistory(TestViews.definitions(), events(random));
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        history.writeTo(first, new Random(1), 10);
        history.writeTo(second, new Random(2), 17); // same rows, other file boundaries: ranges overlap
        Path date = first.resolve("user_pay/" + Layout.DATE_PREFIX + "2026-10-01");
        try (Stream<Path> others = Files.list(second.resolve("user_pay/" + Layout.DATE_PREFIX + "2026-10-01"))) {
            for (Path file : others.toList()) {
                if (!Files.exists(date.resolve(file.getFileName()))) {
                    Files.copy(file, date.resolve(file.getFileName()));
                }
            }
        }
        List<EntityRow> rows = rows(random);
        List<TrainingRow> before = join(dir.resolve("second"), rows);
        assertThat(join(first, rows)).isEqualTo(before);

        try (OfflineCompactor compactor =
                new OfflineCompactor(OfflineStoreConfig.builder(first).build())) {
            CompactionResult result = compactor.compact("user_pay", LocalDate.of(2026, 10, 1));
            assertThat(result.duplicateRowsDropped()).isPositive();
            assertThat(result.filesAfter()).isEqualTo(SnapshotHistory.PARTITIONS);
        }
        assertThat(join(first, rows)).isEqualTo(before);
        assertThat(offsets(first)).isEqualTo(offsets(second));
    }

    /** The snapshots of random events, written to {@code store} in files of at most {@code maxRowsPerFile} rows. */
    private Path writeStore(Random random, int maxRowsPerFile) {
        Path store = dir.resolve("store");
        new SnapshotHistory(TestViews.definitions(), events(random)).writeTo(store, random, maxRowsPerFile);
        return store;
    }

    private static List<SnapshotHistory.Event> events(Random random) {
        return RandomInputs.events(random, T0, 300, 40_000, 10);
    }

    private static List<EntityRow> rows(Random random) {
        return RandomInputs.rows(random, T0, 400, 11, 4 * 3_600_000);
    }

    private List<TrainingRow> join(Path store, List<EntityRow> rows) {
        try (PointInTimeJoin join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(store).build(),
                JoinOptions.builder()
                        .threads(2)
                        .spillDirectory(dir.resolve("spill"))
                        .build())) {
            // As known at t: the join that reads the snapshots being compacted.
            List<TrainingRow> result = join.join(rows, FEATURES, true);
            assertThat(result).anyMatch(r -> r.features().get("user_pay__count_5m") != null);
            return result;
        }
    }

    private static List<Path> files(Path store, String view) throws IOException {
        try (Stream<Path> paths = Files.walk(store.resolve(view))) {
            return paths.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /** Every (view, partition)'s offsets over all files, sorted, duplicates removed. */
    private static Map<String, List<Long>> offsets(Path store) throws IOException {
        Map<String, List<Long>> offsets = new HashMap<>();
        for (String view : List.of("user_pay", "pair_pay")) {
            for (Path file : files(store, view)) {
                SnapshotFileName name =
                        SnapshotFileName.parse(file.getFileName().toString()).orElseThrow();
                offsets.computeIfAbsent(view + "/" + name.partition(), k -> new ArrayList<>())
                        .addAll(offsetsOf(file));
            }
        }
        offsets.replaceAll((k, v) -> v.stream().distinct().sorted().toList());
        return offsets;
    }

    private static List<Long> offsetsOf(Path file) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(new LocalInputFile(file))) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                offsets.add((Long) r.get(SnapshotSchema.OFFSET));
            }
        }
        return offsets;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                if (!Files.exists(to.resolve(file.getFileName()))) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
