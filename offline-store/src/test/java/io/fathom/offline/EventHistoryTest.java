package io.fathom.offline;

import static io.fathom.offline.Clicks.DEFINITIONS;
import static io.fathom.offline.Clicks.MINUTE;
import static io.fathom.offline.Clicks.T0;
import static io.fathom.offline.Clicks.VIEW;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.offline.internal.ParquetFiles;
import io.fathom.testkit.BruteForce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event history of a JSON source read from a history dataset (Hive-partitioned Parquet with
 * microsecond timestamps, marker and hidden files beside it) and the archive, which overlap: the dataset
 * serves the times before the archive's earliest event, the archive the rest, every event counted once; and
 * events that cannot be aggregated are skipped and counted.
 */
class EventHistoryTest {
    @TempDir
    Path dir;

    @Test
    void aHistoryDatasetServesTheTimesBeforeTheArchiveAndTheArchiveTheRestEachEventOnce() throws IOException {
        Random random = new Random(12);
        // 3h20m across midnight, distinct times
        List<BruteForce.Event> events = Clicks.events(random, 400, 30_000, 1);
        // The dataset holds everything before 00:40; the archive everything from 23:40 on, in a random
        // arrival order through two partitions: they overlap for an hour.
        long datasetEnd = T0 + 160 * MINUTE;
        long archiveFrom = T0 + 100 * MINUTE;
        Path dataset = dir.resolve("warehouse/clicks");
        writeDataset(dataset, events.stream().filter(e -> e.ts() < datasetEnd).toList());
        Files.writeString(dataset.resolve("_SUCCESS"), "");
        Files.writeString(dataset.resolve(".part-0.parquet.crc"), "not parquet");
        List<BruteForce.Event> archived =
                events.stream().filter(e -> e.ts() >= archiveFrom).toList();
        List<EventArchive.Archived> archive = new Clicks.Archive()
                .shuffled(archived, random)
                // Events no view can aggregate: undecodable, without a key, a sum over text.
                .add(0, T0 + 150 * MINUTE, Map.of(), "{not json")
                .add(0, T0 + 150 * MINUTE, Map.of("x", 1.0, "tag", "t9"), null)
                .add(1, T0 + 150 * MINUTE, Map.of("user_id", 1L, "x", "abc", "tag", "t9"), null)
                .archived();
        EventArchive.write(dir.resolve("store"), DEFINITIONS.source("clicks").orElseThrow(), archive, random, 40);

        List<EntityRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new EntityRow(
                    Map.of("user_id", 1L + random.nextInt(7)), T0 - 10 * MINUTE + random.nextInt(230) * MINUTE));
        }
        rows.add(new EntityRow(Map.of("user_id", 1L), T0 + 150 * MINUTE)); // at the malformed events' time
        Path rowsFile = dir.resolve("rows.csv");
        List<String> lines = new ArrayList<>(List.of("user_id,event_timestamp"));
        rows.forEach(r -> lines.add(r.keys().get("user_id") + "," + r.timestampMillis()));
        Files.write(rowsFile, lines);

        TrainingSetResult result;
        List<TrainingRow> joined;
        try (PointInTimeJoin join = new PointInTimeJoin(
                DEFINITIONS,
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build(),
                Map.of("clicks", List.of(dataset.toUri())))) {
            joined = join.join(rows, List.of("clicks_v:*"), false);
            result = join.write(
                    TrainingSetRequest.of(rowsFile, List.of("clicks_v:*"), dir.resolve("train.csv")),
                    ProgressListener.NONE);
        }

        int withValues = 0;
        int inOverlap = 0;
        for (int i = 0; i < rows.size(); i++) {
            EntityRow row = rows.get(i);
            Reference.EventTime expected =
                    Reference.assertEventTime(DEFINITIONS, VIEW, events, joined.get(i), "row " + i + " " + row);
            withValues += expected.latest().isPresent() ? 1 : 0;
            inOverlap += expected.latest().isPresent()
                            && row.timestampMillis() >= archiveFrom
                            && row.timestampMillis() < datasetEnd + 60 * MINUTE
                    ? 1
                    : 0;
            assertThat(joined.get(i).snapshotEventTs().get("clicks_v"))
                    .isEqualTo(expected.latest().orElse(null));
        }
        assertThat(withValues).isGreaterThan(rows.size() / 2);
        assertThat(inOverlap).isGreaterThan(20);
        // Every event read once: the last row of each user reaches back to the first event (last_tag has no window).
        assertThat(result.snapshotsUsed()).isEqualTo(events.size() + 1);
        assertThat(result.eventsSkipped()).isEqualTo(3);
        assertThat(result.snapshotFilesRead()).isGreaterThan(3);
    }

    /**
     * Hive-partitioned Parquet by UTC date, the timestamp as {@code timestamp-micros} (as Spark writes
     * it), user_id a long, x a nullable double, tag a string: the source's fields, no {@code _} columns.
     */
    private static void writeDataset(Path root, List<BruteForce.Event> events) throws IOException {
        Schema micros = LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
        Schema schema = SchemaBuilder.record("Click")
                .fields()
                .name("user_id")
                .type()
                .longType()
                .noDefault()
                .name("ts")
                .type(micros)
                .noDefault()
                .name("x")
                .type()
                .nullable()
                .doubleType()
                .noDefault()
                .name("tag")
                .type()
                .stringType()
                .noDefault()
                .endRecord();
        Map<String, List<BruteForce.Event>> byDate = new java.util.TreeMap<>();
        events.forEach(e -> byDate.computeIfAbsent(
                        Instant.ofEpochMilli(e.ts()).toString().substring(0, 10), d -> new ArrayList<>())
                .add(e));
        for (Map.Entry<String, List<BruteForce.Event>> date : byDate.entrySet()) {
            Path directory = Files.createDirectories(root.resolve("date=" + date.getKey()));
            List<BruteForce.Event> rows = date.getValue();
            int half = rows.size() / 2;
            write(directory.resolve("part-0.parquet"), schema, rows.subList(0, half));
            write(directory.resolve("part-1.parquet"), schema, rows.subList(half, rows.size()));
        }
    }

    private static void write(Path file, Schema schema, List<BruteForce.Event> events) throws IOException {
        try (ParquetWriter<GenericRecord> writer = ParquetFiles.writer(new LocalOutputFile(file), schema, 1 << 20)) {
            for (BruteForce.Event event : events) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("user_id", event.fields().get("user_id"));
                record.put("ts", event.ts() * 1_000L);
                record.put("x", event.fields().get("x"));
                record.put("tag", event.fields().get("tag"));
                writer.write(record);
            }
        }
    }
}
