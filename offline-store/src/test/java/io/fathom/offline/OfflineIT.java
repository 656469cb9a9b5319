package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.core.EntityKey;
import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.StreamsApp;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.TestProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.util.Utf8;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: Avro events through {@link IngestService} (exactly once) into snapshot topics, through the
 * {@link OfflineWriter} into Parquet (snapshots, and the source's events in its archive), through {@link
 * PointInTimeJoin} into a training set, which must equal a brute-force computation from the raw events: for
 * a row at t, every event of the entity with event time at most t — late ones too, which ingest
 * dead-letters — evaluated at t, or nulls past the ttl. As known at t, every value is null: ingest ran long
 * after the rows' times.
 */
@ExtendWith(KafkaExtension.class)
class OfflineIT {
    private static final long T0 = Instant.parse("2026-10-01T22:00:00Z").toEpochMilli();
    private static final int EVENTS = 8_000;
    private static final int USERS = 200;
    /** Of the re-keyed topics: ingest's view tasks. */
    private static final int PARTITIONS = 3;

    private static final String[] MERCHANTS = {"m1", "a|b", "c,d"};
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US"};

    @TempDir
    Path dir;

    @Test
    void trainingSetFromIngestedEventsEqualsTheBruteForceFromTheRawEvents(KafkaBroker broker) throws Exception {
        String suffix = "_it" + System.nanoTime();
        String source = "payments" + suffix;
        broker.createTopics(1, source); // one partition: every entity's events stay in production order
        FeatureDefinitions definitions =
                TestViews.definitions(suffix, source, Duration.ofMinutes(20), Duration.ofMinutes(3));
        List<Map<String, Object>> events = produce(broker, source);
        Map<String, Map<String, List<BruteForce.Event>>> accepted = byEntity(definitions, events, true);
        long snapshots = accepted.values().stream()
                .flatMap(byEntity -> byEntity.values().stream())
                .mapToLong(List::size)
                .sum();

        OfflineStoreConfig store =
                OfflineStoreConfig.builder(dir.resolve("offline")).build();
        IngestConfig ingestConfig = IngestConfig.builder()
                .kafka(broker.kafka().toBuilder().partitions(PARTITIONS).build())
                .stateDir(dir.resolve("state"))
                .applicationId("ingest" + suffix)
                .build();
        OfflineWriterConfig writerConfig = TestWriters.config(
                        ingestConfig.kafka(), store, "offline" + suffix, 2_000, Duration.ofMillis(500))
                .build();
        try (StreamsApp ingest =
                        IngestService.start(definitions, ingestConfig, Clock.systemUTC(), new SimpleMeterRegistry());
                OfflineWriter writer = new OfflineWriter(definitions, writerConfig, Clock.systemUTC())) {
            await().atMost(Duration.ofMinutes(3))
                    .until(() -> definitions.views().stream()
                                    .mapToLong(v -> StoredSnapshots.count(dir.resolve("offline"), v.name()))
                                    .sum()
                            >= snapshots);
            // Every event produced is valid (it decodes and has a time), so every one is archived.
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> archived(dir.resolve("offline/_events/payments")) >= EVENTS);
            assertThat(writer.failure()).isEmpty();
        }
        assertThat(definitions.views().stream()
                        .mapToLong(v -> StoredSnapshots.count(dir.resolve("offline"), v.name()))
                        .sum())
                .isEqualTo(snapshots);

        List<EntityRow> rows = entityRows();
        Path rowsFile = writeCsv(rows);
        List<String> features =
                definitions.views().stream().map(v -> v.name() + ":*").toList();
        try (PointInTimeJoin join =
                new PointInTimeJoin(definitions, store, JoinOptions.builder().build())) {
            // Every snapshot was created (by ingest's wall clock) long after the rows' times.
            List<TrainingRow> asKnown = join.join(rows, features, true);
            assertThat(asKnown).allMatch(row -> row.features().values().stream().allMatch(v -> v == null));

            // In event time, from the source events the writer archived: late ones count too.
            TrainingSetResult result = join.write(
                    TrainingSetRequest.of(rowsFile, features, dir.resolve("train.parquet")), ProgressListener.NONE);
            assertThat(result.rows()).isEqualTo(rows.size());
            List<GenericRecord> written = read(dir.resolve("train.parquet"));
            assertMatchesBruteForce(definitions, byEntity(definitions, events, false), rows, written);
        }
    }

    private static void assertMatchesBruteForce(
            FeatureDefinitions definitions,
            Map<String, Map<String, List<BruteForce.Event>>> all,
            List<EntityRow> rows,
            List<GenericRecord> written) {
        assertThat(written).hasSize(rows.size());
        List<String> mismatches = new ArrayList<>();
        int withValues = 0;
        for (int i = 0; i < rows.size(); i++) {
            EntityRow row = rows.get(i);
            GenericRecord out = written.get(i);
            assertThat(out.get("event_timestamp").toString()).isEqualTo(Long.toString(row.timestampMillis()));
            for (ViewDefinition view : definitions.views()) {
                String key = Reference.key(definitions, view, row);
                Reference.EventTime expected = Reference.eventTime(
                        definitions, view, all.get(view.name()).getOrDefault(key, List.of()), row);
                if (expected.latest().isPresent()) {
                    withValues++;
                }
                for (FeatureDefinition feature : view.features()) {
                    Object want = expected.values().get(view.name() + "__" + feature.name());
                    Object got = out.get(view.name() + "__" + feature.name());
                    got = got instanceof Utf8 ? got.toString() : got;
                    if (!BruteForce.matches(feature, want, got)) {
                        mismatches.add("row " + i + " " + row + " " + view.name() + "__" + feature.name()
                                + ": expected " + want + ", got " + got);
                    }
                }
            }
        }
        assertThat(mismatches).as("mismatches").isEmpty();
        assertThat(withValues).as("(row, view) pairs with an event within ttl").isGreaterThan(rows.size() / 2);
    }

    /**
     * Per view and entity, the events in production order; when {@code dropLate}, only those ingest accepts (not
     * later than the allowed lateness behind the watermark). The source has one partition, so the watermark of each
     * view task is the greatest event time of the events that reached it so far, and every task sees its events in
     * production order: an entity's events go to task {@code murmur2(key) % PARTITIONS}, directly or through the
     * re-keyed topic.
     */
    private static Map<String, Map<String, List<BruteForce.Event>>> byEntity(
            FeatureDefinitions definitions, List<Map<String, Object>> events, boolean dropLate) {
        Map<String, Map<String, List<BruteForce.Event>>> result = new HashMap<>();
        for (ViewDefinition view : definitions.views()) {
            Map<String, List<BruteForce.Event>> byEntity = new HashMap<>();
            Map<Integer, Long> watermarkByTask = new HashMap<>();
            for (int i = 0; i < events.size(); i++) {
                Map<String, Object> fields = events.get(i);
                String key = EntityKey.of(definitions.entityOf(view), fields).encoded();
                long ts = (Long) fields.get("event_time");
                int task = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
                if (dropLate && BruteForce.isLate(view, watermarkByTask.merge(task, ts, Math::max), ts)) {
                    continue;
                }
                byEntity.computeIfAbsent(key, k -> new ArrayList<>()).add(new BruteForce.Event(ts, i, fields));
            }
            result.put(view.name(), byEntity);
        }
        return result;
    }

    /** Events 1.2 s apart with up to 4 minutes of jitter: late ones, some beyond the pair view's lateness. */
    private static List<Map<String, Object>> produce(KafkaBroker broker, String topic) {
        Random random = new Random(3);
        BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), TestViews.PAYMENT);
        List<Map<String, Object>> events = new ArrayList<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long user = 1 + random.nextInt(USERS);
            long ts = T0 + i * 1_200L - (random.nextInt(5) == 0 ? random.nextInt(240_000) : 0);
            GenericData.Record record = new GenericData.Record(TestViews.PAYMENT);
            record.put("user_id", user);
            record.put("merchant", MERCHANTS[random.nextInt(MERCHANTS.length)]);
            record.put("amount", random.nextInt(8) == 0 ? null : random.nextInt(100_000) / 100.0);
            record.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
            record.put("event_time", ts);
            Map<String, Object> fields = new LinkedHashMap<>();
            record.getSchema().getFields().forEach(f -> fields.put(f.name(), record.get(f.name())));
            events.add(fields);
            try {
                records.add(new ProducerRecord<>(
                        topic, Long.toString(user), encoder.encode(record).array()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
        return events;
    }

    private static List<EntityRow> entityRows() {
        Random random = new Random(4);
        long span = EVENTS * 1_200L;
        List<EntityRow> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            long t = T0 - 600_000 + (long) (random.nextDouble() * (span + 3_000_000));
            rows.add(new EntityRow(
                    Map.of(
                            "user_id",
                            1L + random.nextInt(USERS + 10),
                            "merchant",
                            MERCHANTS[random.nextInt(MERCHANTS.length)]),
                    t));
        }
        return rows;
    }

    private Path writeCsv(List<EntityRow> rows) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        lines.add("user_id,merchant,event_timestamp");
        for (EntityRow row : rows) {
            String merchant = (String) row.keys().get("merchant");
            lines.add(row.keys().get("user_id") + "," + (merchant.contains(",") ? "\"" + merchant + "\"" : merchant)
                    + "," + row.timestampMillis());
        }
        Path path = dir.resolve("rows.csv");
        Files.write(path, lines, StandardCharsets.UTF_8);
        return path;
    }

    /** The rows of the committed event files of a source's archive. */
    private static long archived(Path source) throws java.io.IOException {
        if (!Files.isDirectory(source)) {
            return 0;
        }
        try (java.util.stream.Stream<Path> files = Files.walk(source)) {
            long rows = 0;
            for (Path file : files.filter(f -> f.toString().endsWith(".parquet"))
                    .filter(f -> !f.getParent().getFileName().toString().startsWith("_"))
                    .toList()) {
                rows += read(file).size();
            }
            return rows;
        }
    }

    private static List<GenericRecord> read(Path path) throws java.io.IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(new LocalInputFile(path))) {
            for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
                records.add(r);
            }
        }
        return records;
    }
}
