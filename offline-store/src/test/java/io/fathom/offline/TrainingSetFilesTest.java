package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.offline.internal.ParquetFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training sets from and to files: CSV and Parquet entity rows, Parquet and CSV output, every input
 * column carried through, progress reported, and bad input refused with the row and column named.
 */
class TrainingSetFilesTest {
    private static final long T0 = Instant.parse("2026-10-01T23:30:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final List<String> FEATURES = List.of("user_pay:*", "pair_pay:last_amount");

    @TempDir
    static Path dir;

    private static PointInTimeJoin join;
    private static List<EntityRow> rows;

    @BeforeAll
    static void writeSnapshots() {
        Random random = new Random(11);
        List<SnapshotHistory.Event> events = new ArrayList<>();
        long ts = T0;
        for (int i = 0; i < 400; i++) {
            ts += random.nextInt(30_000);
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", 1L + random.nextInt(20));
            fields.put("merchant", random.nextBoolean() ? "m1" : "a,\"b\"");
            fields.put("amount", random.nextInt(10) == 0 ? null : random.nextInt(10_000) / 100.0);
            fields.put("country", random.nextBoolean() ? "FR" : "DE");
            events.add(new SnapshotHistory.Event(ts, ts + random.nextInt(1000), fields));
        }
        new SnapshotHistory(TestViews.definitions(), events).writeTo(dir.resolve("store"), random, 50);
        join = new PointInTimeJoin(
                TestViews.definitions(),
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder()
                        .threads(2)
                        .spillDirectory(dir.resolve("spill"))
                        .build());
        rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new EntityRow(
                    Map.of("user_id", 1L + random.nextInt(22), "merchant", random.nextBoolean() ? "m1" : "a,\"b\""),
                    T0 + random.nextInt(240) * MINUTE / 2));
        }
    }

    @AfterAll
    static void close() {
        join.close();
    }

    @Test
    void csvInParquetOutEqualsTheInMemoryJoinAndKeepsEveryInputColumn() throws IOException {
        Path input = dir.resolve("rows.csv");
        List<String> lines = new ArrayList<>(List.of("label,user_id,merchant,event_timestamp"));
        for (int i = 0; i < rows.size(); i++) {
            EntityRow row = rows.get(i);
            String time = i % 2 == 0
                    ? Long.toString(row.timestampMillis())
                    : Instant.ofEpochMilli(row.timestampMillis())
                            .atOffset(java.time.ZoneOffset.ofHours(2))
                            .toString();
            lines.add(i % 3 + "," + row.keys().get("user_id") + ","
                    + csv((String) row.keys().get("merchant")) + "," + time);
        }
        Files.write(input, lines, StandardCharsets.UTF_8);
        List<ProgressListener.Stage> stages = new ArrayList<>();
        long[] lastDone = new long[1];

        TrainingSetResult result = join.write(
                TrainingSetRequest.of(input, FEATURES, dir.resolve("out/train.parquet")), (stage, done, total) -> {
                    if (stages.isEmpty() || stages.get(stages.size() - 1) != stage) {
                        stages.add(stage);
                    }
                    lastDone[0] = done;
                    assertThat(total == -1 || done <= total).isTrue();
                });

        assertThat(stages)
                .containsExactly(
                        ProgressListener.Stage.READ_ENTITY_ROWS,
                        ProgressListener.Stage.SCAN_SNAPSHOTS,
                        ProgressListener.Stage.JOIN,
                        ProgressListener.Stage.WRITE);
        assertThat(lastDone[0]).isEqualTo(rows.size());
        assertThat(result.rows()).isEqualTo(rows.size());
        assertThat(result.columns())
                .startsWith("label", "user_id", "merchant", "event_timestamp", "user_pay__count_5m")
                .endsWith("pair_pay__last_amount");
        List<GenericRecord> written = readParquet(dir.resolve("out/train.parquet"));
        List<TrainingRow> expected = join.join(rows, FEATURES, false);
        assertThat(written).hasSize(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            GenericRecord record = written.get(i);
            assertThat(record.get("label").toString()).isEqualTo(Integer.toString(i % 3));
            assertThat(record.get("user_id").toString())
                    .isEqualTo(rows.get(i).keys().get("user_id").toString());
            Map<String, Object> features = new LinkedHashMap<>();
            expected.get(i).features().keySet().forEach(column -> {
                Object value = record.get(column);
                features.put(column, value instanceof org.apache.avro.util.Utf8 ? value.toString() : value);
            });
            assertThat(features).as("row %d", i).isEqualTo(expected.get(i).features());
        }
        assertThat(expected).anyMatch(row -> row.features().get("user_pay__count_5m") != null);
        assertThat(expected).anyMatch(row -> row.features().get("user_pay__count_5m") == null);
        assertThat(dir.resolve("out")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void parquetInCsvOutWithMicrosecondTimestamps() throws IOException {
        Schema schema = SchemaBuilder.record("rows")
                .fields()
                .requiredLong("user_id")
                .requiredString("merchant")
                .name("event_timestamp")
                .type(org.apache.avro.LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG)))
                .noDefault()
                .endRecord();
        Path input = dir.resolve("rows.parquet");
        Files.deleteIfExists(input);
        try (ParquetWriter<GenericRecord> writer = ParquetFiles.writer(new LocalOutputFile(input), schema, 1 << 20)) {
            for (EntityRow row : rows) {
                GenericData.Record record = new GenericData.Record(schema);
                record.put("user_id", row.keys().get("user_id"));
                record.put("merchant", row.keys().get("merchant"));
                record.put("event_timestamp", row.timestampMillis() * 1000);
                writer.write(record);
            }
        }
        Path output = dir.resolve("train.csv");

        join.write(TrainingSetRequest.of(input, FEATURES, output).withAsKnownAt(true), ProgressListener.NONE);

        List<String> lines = Files.readAllLines(output);
        List<TrainingRow> expected = join.join(rows, FEATURES, true);
        assertThat(lines.get(0)).startsWith("user_id,merchant,event_timestamp,user_pay__count_5m,");
        assertThat(lines).hasSize(rows.size() + 1);
        for (int i = 0; i < rows.size(); i++) {
            StringBuilder line = new StringBuilder();
            EntityRow row = rows.get(i);
            line.append(row.keys().get("user_id"))
                    .append(',')
                    .append(csv((String) row.keys().get("merchant")))
                    .append(',')
                    .append(row.timestampMillis() * 1000);
            expected.get(i).features().values().forEach(v -> line.append(',').append(v == null ? "" : v.toString()));
            assertThat(lines.get(i + 1)).isEqualTo(line.toString());
        }
    }

    @Test
    void badEntityRowsAreRefusedWithTheRowAndColumn() throws IOException {
        Path noKey = write("no-key.csv", "merchant,event_timestamp", "m1,2026-10-01T00:00:00Z");
        assertThatThrownBy(() ->
                        join.write(TrainingSetRequest.of(noKey, FEATURES, dir.resolve("x.csv")), ProgressListener.NONE))
                .isInstanceOf(EntityRowsException.class)
                .hasMessageContaining("no column \"user_id\"")
                .hasMessageContaining("[merchant, event_timestamp]");

        Path badTime = write(
                "bad-time.csv",
                "user_id,merchant,event_timestamp",
                "1,m1,2026-10-01T00:00:00Z",
                "2,m1,1790000000000",
                "3,m1,2026-10-01 00:00");
        assertThatThrownBy(() -> join.write(
                        TrainingSetRequest.of(badTime, FEATURES, dir.resolve("x.csv")), ProgressListener.NONE))
                .isInstanceOf(EntityRowsException.class)
                .hasMessageContaining("row 3")
                .hasMessageContaining("event_timestamp")
                .hasMessageContaining("\"2026-10-01 00:00\"")
                .satisfies(e -> assertThat(((EntityRowsException) e).row()).hasValue(3));

        Path emptyKey = write("empty-key.csv", "user_id,merchant,event_timestamp", "1,m1,1", ",m1,2");
        assertThatThrownBy(() -> join.write(
                        TrainingSetRequest.of(emptyKey, FEATURES, dir.resolve("x.csv")), ProgressListener.NONE))
                .isInstanceOf(EntityRowsException.class)
                .hasMessageContaining("row 2: key column user_id is empty");
        assertThat(dir.resolve("x.csv")).doesNotExist();

        Path offsetless = write("offsetless.csv", "user_id,merchant,event_timestamp", "1,m1,2026-10-01T00:00:00");
        assertThatThrownBy(() -> join.write(
                        TrainingSetRequest.of(offsetless, FEATURES, dir.resolve("x.csv")), ProgressListener.NONE))
                .isInstanceOf(EntityRowsException.class)
                .hasMessageContaining("row 1");
    }

    @Test
    void unknownViewsAndFeaturesAreRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> join.join(rows, List.of("nope:*"), false))
                .isInstanceOf(OfflineException.class)
                .hasMessageContaining("no view nope (views: [user_pay, pair_pay])");
        assertThatThrownBy(() -> join.join(rows, List.of("user_pay:nope"), false))
                .hasMessageContaining("view user_pay has no feature nope");
        assertThatThrownBy(() -> join.join(rows, List.of("user_pay"), false))
                .hasMessageContaining("is not view:feature or view:*");
        assertThatThrownBy(() -> join.write(
                        TrainingSetRequest.of(dir.resolve("rows.json"), FEATURES, dir.resolve("x.csv")),
                        ProgressListener.NONE))
                .hasMessageContaining("expected a .csv or .parquet file");
    }

    @Test
    void noRowsGiveAnEmptyTrainingSet() throws IOException {
        Path empty = write("empty.csv", "user_id,merchant,event_timestamp");
        TrainingSetResult result =
                join.write(TrainingSetRequest.of(empty, FEATURES, dir.resolve("empty.parquet")), ProgressListener.NONE);
        assertThat(result.rows()).isZero();
        assertThat(readParquet(dir.resolve("empty.parquet"))).isEmpty();
        assertThat(join.join(List.of(), FEATURES, false)).isEmpty();
    }

    private static Path write(String name, String... lines) throws IOException {
        Path path = dir.resolve(name);
        Files.write(path, List.of(lines), StandardCharsets.UTF_8);
        return path;
    }

    private static String csv(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static List<GenericRecord> readParquet(Path path) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(new LocalInputFile(path))) {
            for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                records.add(record);
            }
        }
        return records;
    }
}
