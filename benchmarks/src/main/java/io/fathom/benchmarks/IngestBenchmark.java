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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Ingest throughput, end to end on the in-JVM broker: events/s from the input topic to committed
 * snapshots, for one view of 10 windowed features over many entities, measured beside two anchors in the same
 * run: a plain Kafka consumer reading the same input topic, and the same features as a Kafka Streams DSL
 * topology under the same settings ({@link IngestDslAnchor}). Heap after a full GC is printed before ingest
 * starts and at its end, while it still runs.
 *
 * <p>Before the timed run, ingest runs over the first events of the same input under another application id and view
 * (its own snapshot topic), as the monitor benchmark warms up: a cold JVM spends as much CPU compiling as ingest
 * spends working, which a process that has run for a minute no longer pays. Its rate, cold, is printed too.
 *
 * <p>Run: {@code ./benchmarks/run ingest [events] [entities] [partitions] [commit-ms] [dsl: 1 or 0] [stream
 * threads, of ingest and of the DSL anchor alike] [warm-up events, 0: none]}; see benchmarks/README.md.
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
    private static final String VIEW = "bench_user";
    private static final String WARM_UP_VIEW = "bench_user_warm_up";

    private IngestBenchmark() {}

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int partitions = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        Duration commitInterval = Duration.ofMillis(args.length > 3 ? Long.parseLong(args[3]) : 100);
        boolean dsl = args.length <= 4 || !args[4].equals("0");
        int threads = args.length > 5 ? Integer.parseInt(args[5]) : 0; // 0: IngestConfig's default
        int warmUp = Math.min(events, args.length > 6 ? Integer.parseInt(args[6]) : 300_000);
        Path stateDir = Files.createTempDirectory("fathom-bench-");
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            broker.createTopics(partitions, TOPIC, IngestDslAnchor.HOUR_TOPIC, IngestDslAnchor.DAY_TOPIC);
            produce(broker, events, entities);
            double rawRate = consumeRate(broker, TOPIC, events, "raw");
            IngestConfig warmUpConfig = config(broker, stateDir, partitions, commitInterval, threads, "bench-warm-up");
            IngestRun cold =
                    warmUp == 0 ? null : ingestRate(broker, warmUpConfig, WARM_UP_VIEW, warmUp, "warm-up (cold JVM)");
            IngestConfig config = config(broker, stateDir, partitions, commitInterval, threads, "bench-ingest");
            IngestRun ingest = ingestRate(broker, config, VIEW, events, "ingest");
            AppRun dslRun = dsl
                    ? dslRate(broker, stateDir, events, partitions, commitInterval, threads)
                    : new AppRun(Double.NaN, Double.NaN);
            double dslRate = dslRun.rate();
            System.out.printf(
                    "ingest benchmark: %d events, %d entities, %d partitions, 10 windowed features, commit every %d ms,"
                            + " %s stream threads%n",
                    events, entities, partitions, commitInterval.toMillis(), threads == 0 ? "default" : threads);
            System.out.printf("  raw consume (anchor): %,.0f events/s%n", rawRate);
            System.out.printf("  Kafka Streams DSL:    %,.0f events/s%n", dslRate);
            System.out.printf("  ingest end to end:    %,.0f events/s%n", ingest.rate());
            if (cold != null) {
                System.out.printf(
                        "  the warm-up before it: %,.0f events/s over the first %,d events (cold: the JIT compiling)%n",
                        cold.rate(), warmUp);
            }
            System.out.printf("  ratio ingest / raw:   %.3f%n", ingest.rate() / rawRate);
            System.out.printf("  ratio ingest / DSL:   %.2f%n", ingest.rate() / dslRate);
            System.out.printf(
                    "  stream-thread CPU per event: ingest %.1f µs, DSL %.1f µs; ingest's process CPU per event %.1f µs%n",
                    ingest.streamCpuMicros(), dslRun.streamCpuMicros(), ingest.processCpuMicros());
            System.out.printf(
                    "  heap after GC: %.1f MB before ingest started, %.1f MB at its end%n",
                    ingest.heapStartBytes() / 1e6, ingest.heapEndBytes() / 1e6);
            Results results = new Results();
            results.put("ingest_events_per_s", Math.round(ingest.rate()));
            results.put("ingest_raw_consume_per_s", Math.round(rawRate));
            results.put("ingest_vs_raw_consume_ratio", ingest.rate() / rawRate);
            results.put("ingest_dsl_events_per_s", dslRate);
            results.put("ingest_vs_dsl_ratio", ingest.rate() / dslRate);
            results.put("ingest_stream_thread_cpu_us_per_event", ingest.streamCpuMicros());
            results.put("ingest_process_cpu_us_per_event", ingest.processCpuMicros());
            results.put("ingest_dsl_stream_thread_cpu_us_per_event", dslRun.streamCpuMicros());
            results.put("ingest_vs_dsl_stream_thread_cpu_ratio", dslRun.streamCpuMicros() / ingest.streamCpuMicros());
            results.put("ingest_heap_start_mb", ingest.heapStartBytes() / 1e6);
            results.put("ingest_heap_end_mb", ingest.heapEndBytes() / 1e6);
            results.put("ingest_events", events);
            results.put("ingest_warm_up_events", warmUp);
            if (cold != null) {
                results.put("ingest_cold_events_per_s", Math.round(cold.rate()));
            }
            results.put("ingest_entities", entities);
            results.print();
        }
    }

    /**
     * Ingest's rate; the CPU its stream threads used, and the whole process (broker and counting consumer
     * included) over its run, per event, in microseconds; the heap after a full GC before it started and at its
     * end (while it still ran).
     */
    private record IngestRun(
            double rate, double streamCpuMicros, double processCpuMicros, long heapStartBytes, long heapEndBytes) {}

    /** A Streams application's rate and its stream threads' CPU per event, in microseconds. */
    private record AppRun(double rate, double streamCpuMicros) {}

    /** CPU time of the live threads whose names contain {@code applicationId} and "StreamThread", in ns. */
    private static long streamThreadCpuNanos(String applicationId) {
        return MonitorBenchmark.threadCpuNanos().entrySet().stream()
                .filter(e -> e.getKey().contains(applicationId) && e.getKey().contains("StreamThread"))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    static FeatureDefinitions definitions() {
        return definitions(VIEW);
    }

    /** The benchmark's view of 10 windowed features under the given name (its snapshot topic follows it). */
    private static FeatureDefinitions definitions(String view) {
        Duration hour = Duration.ofHours(1);
        Duration day = Duration.ofDays(1);
        return Definitions.builder()
                .entity("user", "user_id")
                .source("transactions", TOPIC, EventFormat.AVRO, EVENT, "event_time")
                .view(Definitions.view(view)
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

    /** Starts ingest of {@code view} and counts committed snapshots until {@code events} have produced one. */
    private static IngestRun ingestRate(
            KafkaBroker broker, IngestConfig config, String view, int events, String label) {
        FeatureDefinitions definitions = definitions(view);
        String snapshots = definitions.views().get(0).snapshotTopic();
        long heapStart = MonitorBenchmark.heapAfterGc();
        long processCpu = MonitorBenchmark.processCpuNanos();
        Map<String, Long> threadCpu = MonitorBenchmark.threadCpuNanos();
        try (StreamsApp ingest =
                IngestService.start(definitions, config, Clock.systemUTC(), new SimpleMeterRegistry())) {
            double rate = consumeRate(broker, snapshots, events, label + " snapshots");
            double streamCpu = streamThreadCpuNanos(config.applicationId()) / 1e3 / events;
            long processCpuUsed = MonitorBenchmark.processCpuNanos() - processCpu;
            double cpu = processCpuUsed / 1e3 / events;
            System.out.println(
                    "  " + label + ", from its start to its last snapshot (the counting consumer included):");
            MonitorBenchmark.printCpuByThread(threadCpu, MonitorBenchmark.threadCpuNanos(), processCpuUsed / 1e9);
            return new IngestRun(rate, streamCpu, cpu, heapStart, MonitorBenchmark.heapAfterGc());
        }
    }

    /** IngestConfig's defaults but for these; {@code threads} 0 keeps the default. */
    private static IngestConfig config(
            KafkaBroker broker,
            Path stateDir,
            int partitions,
            Duration commitInterval,
            int threads,
            String applicationId) {
        IngestConfig config = IngestConfig.builder()
                .kafka(broker.kafka().toBuilder().partitions(partitions).build())
                .stateDir(stateDir)
                .applicationId(applicationId)
                .commitInterval(commitInterval)
                .build();
        return threads == 0 ? config : config.toBuilder().threads(threads).build();
    }

    /**
     * Runs the Kafka Streams DSL anchor under ingest's own settings (exactly-once v2, commit interval, record cache,
     * producer batching) over the same input, and counts the input offsets it commits (with exactly-once, in the
     * transaction of the aggregates they produced) until it has committed every event: events/s from its first
     * commit to its last, as ingest's rate is counted from its first committed snapshot.
     */
    private static AppRun dslRate(
            KafkaBroker broker, Path stateDir, int events, int partitions, Duration commitInterval, int threads)
            throws Exception {
        String applicationId = "bench-dsl";
        java.util.Properties props = config(broker, stateDir, partitions, commitInterval, threads, applicationId)
                .streamsProperties();
        try (StreamsApp dsl = StreamsApp.builder("dsl-anchor", props).start(IngestDslAnchor.topology(TOPIC, EVENT));
                Admin admin = Admin.create(broker.kafka().adminProperties())) {
            long started = System.nanoTime();
            long first = 0;
            long committed = 0;
            while (committed < events) {
                committed = 0;
                for (OffsetAndMetadata offset : admin.listConsumerGroupOffsets(applicationId)
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .values()) {
                    committed += offset == null ? 0 : offset.offset();
                }
                if (first == 0 && committed > 0) {
                    first = System.nanoTime();
                }
                if (System.nanoTime() - started > Duration.ofMinutes(30).toNanos()) {
                    throw new IllegalStateException(
                            "the DSL anchor committed " + committed + " of " + events + " events in 30 minutes");
                }
                Thread.sleep(10);
            }
            long end = System.nanoTime();
            System.out.printf(
                    "  dsl: first commit after %.1f s, %d events in %.1f s%n",
                    (first - started) / 1e9, committed, (end - first) / 1e9);
            return new AppRun(committed / ((end - first) / 1e9), streamThreadCpuNanos(applicationId) / 1e3 / events);
        }
    }
}
