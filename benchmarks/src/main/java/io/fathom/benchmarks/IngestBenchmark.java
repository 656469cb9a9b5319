package io.fathom.benchmarks;

import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.StreamsApp;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ingest throughput, end to end on the in-JVM broker: events/s from the input topic to committed
 * snapshots, for one view of 10 windowed features over many entities, measured beside the anchor —
 * a plain Kafka consumer reading the same input topic in the same run.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -cp ... IngestBenchmark
 * [events] [entities] [partitions]}; see benchmarks/README.md.
 */
public final class IngestBenchmark {
    static final Schema EVENT = new Schema.Parser()
            .parse(
                    """
            {"type": "record", "name": "Transaction", "namespace": "io.fathom.bench", "fields": [
              {"name": "user_id", "type": "long"},
              {"name": "merchant", "type": "string"},
              {"name": "amount", "type": "double"},
              {"name": "event_time", "type": "long"}]}
            """);
    static final String TOPIC = "bench-transactions";

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Duration commitInterval = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 100);
        Path stateDir = Files.createTempDirectory("fathom-bench-");
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            broker.createTopics(partitions, TOPIC);
            produce(broker, events, entities);
            double rawRate = consumeRate(broker, TOPIC, events, "raw");
            double ingestRate = ingestRate(broker, stateDir, events, partitions, commitInterval);
            System.out.printf(
                    "ingest benchmark: %d events, %d entities, %d partitions, 10 windowed features, commit every %d ms%n",
                    events, entities, partitions, commitInterval.toMillis());
            System.out.printf("  raw consume (anchor): %,.0f events/s%n", rawRate);
            System.out.printf("  ingest end to end:    %,.0f events/s%n", ingestRate);
            System.out.printf("  ratio ingest / raw:   %.3f%n", ingestRate / rawRate);
            Results results = new Results();
            results.put("ingest_events_per_s", Math.round(ingestRate));
            results.put("ingest_raw_consume_per_s", Math.round(rawRate));
            results.put("ingest_vs_raw_consume_ratio", ingestRate / rawRate);
            results.print();
        }
    }

    static FeatureDefinitions definitions() {
        Duration hour = Duration.ofHours(1);
        Duration day = Duration.ofDays(1);
        return Definitions.builder()
                .entity("user", "user_id")
                .source("transactions", TOPIC, EventFormat.AVRO, EVENT, "event_time")
                .view(Definitions.view("bench_user")
                        .count("count_1h", hour)
                        .count("count_1d", day)
                        .feature("sum_1h", Aggregation.SUM, "amount", hour)
                        .feature("sum_1d", Aggregation.SUM, "amount", day)
                        .feature("mean_1h", Aggregation.MEAN, "amount", hour)
                        .feature("mean_1d", Aggregation.MEAN, "amount", day)
                        .feature("min_1d", Aggregation.MIN, "amount", day)
                        .feature("max_1d", Aggregation.MAX, "amount", day)
                        .feature("std_1d", Aggregation.STDDEV, "amount", day)
                        .feature("merchants_1d", Aggregation.COUNT_DISTINCT, "merchant", day))
                .build();
    }

    /** Events keyed by user id, event times advancing 100 ms per event from 2026-11-01. */
    private static void produce(KafkaBroker broker, int events, int entities) throws Exception {
        Random random = new Random(7);
        BinaryMessageEncoder<GenericRecord> encoder = new BinaryMessageEncoder<>(GenericData.get(), EVENT);
        Map<String, Object> props = new java.util.HashMap<>(broker.kafka().producerProperties());
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long t0 = 1_793_491_200_000L;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                long user = i < entities ? i : random.nextInt(entities);
                GenericRecord record = new GenericData.Record(EVENT);
                record.put("user_id", user);
                record.put("merchant", "m" + random.nextInt(200));
                record.put("amount", random.nextDouble() * 500);
                record.put("event_time", t0 + i * 100L);
                byte[] key = Long.toString(user).getBytes(StandardCharsets.UTF_8);
                producer.send(
                        new ProducerRecord<>(TOPIC, key, encoder.encode(record).array()), (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the benchmark input failed", failure.get());
        }
    }

    /**
     * Reads {@code expected} records of a topic from the start; records/s from the first record read
     * to the last (so start-up time is not counted; it is printed).
     */
    private static double consumeRate(KafkaBroker broker, String topic, int expected, String group) {
        Map<String, Object> props = new java.util.HashMap<>(broker.kafka().consumerProperties("bench-" + group));
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 256 * 1024);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long subscribed = System.nanoTime();
            long first = 0;
            long seen = 0;
            while (seen < expected) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (seen == 0 && !records.isEmpty()) {
                    first = System.nanoTime();
                }
                seen += records.count();
            }
            long end = System.nanoTime();
            System.out.printf(
                    "  %s: first record after %.1f s, %d records in %.1f s%n",
                    group, (first - subscribed) / 1e9, seen, (end - first) / 1e9);
            return seen / ((end - first) / 1e9);
        }
    }

    /** Starts ingest and counts committed snapshots until every event has produced one. */
    private static double ingestRate(
            KafkaBroker broker, Path stateDir, int events, int partitions, Duration commitInterval) {
        IngestConfig config = IngestConfig.builder()
                .kafka(broker.kafka().toBuilder().partitions(partitions).build())
                .stateDir(stateDir)
                .applicationId("bench-ingest")
                .commitInterval(commitInterval)
                .build();
        String snapshots = definitions().views().get(0).snapshotTopic();
        try (StreamsApp ingest =
                IngestService.start(definitions(), config, Clock.systemUTC(), new SimpleMeterRegistry())) {
            return consumeRate(broker, snapshots, events, "snapshots");
        }
    }
}
