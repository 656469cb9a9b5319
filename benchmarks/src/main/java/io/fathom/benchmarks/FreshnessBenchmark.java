package io.fathom.benchmarks;

import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.ingest.IngestTopics;
import io.fathom.kafka.StreamsApp;
import io.fathom.online.EntityResult;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.online.OnlineStore;
import io.fathom.online.OnlineWriter;
import io.fathom.online.OnlineWriterConfig;
import io.fathom.online.RedisOnlineStore;
import io.fathom.online.StoreUnavailableException;
import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.RedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Freshness: how long after an event is produced its entity's online read shows it, at a fixed event rate,
 * beside its anchor measured at the same time — Kafka's own end-to-end latency on the input topic (a plain
 * consumer, {@code read_uncommitted} and {@code read_committed}) plus a Redis {@code SET} then {@code GET}.
 *
 * <p>One JVM: the in-JVM broker, {@link IngestService} (exactly-once v2, the 10-feature view of
 * {@link IngestBenchmark}), an {@link OnlineWriter} into a real Redis, and an {@link OnlineFeatureReader}.
 * A producer sends Avro events at the stated rate with event time = wall-clock time at send; for a sample of
 * them (at most 200/s) a poller reads the entity through the reader until the snapshot's {@code event_ts}
 * reaches the event's time, and records produce→readable. Target (benchmarks/README.md): p99 ≤ 100 ms at half of the
 * maximum ingest load.
 *
 * <p>Usage: {@code FreshnessBenchmark [rates=2000,half] [seconds per rate=20] [commit ms=ingest's default, 50] [maximum ingest
 * rate=53324]}: a rate {@code half} is half of the maximum ingest rate, which is measured apart ({@code
 * ./benchmarks/run ingest}) and given here.
 */
public final class FreshnessBenchmark {
    private static final String VIEW = "bench_user";
    private static final String FEATURE = VIEW + ":count_1h";
    private static final String PRODUCED_NANOS = "produced-nanos";
    private static final int ENTITIES = 10_000;
    private static final int PARTITIONS = 4;
    private static final int PROBES_PER_SECOND = 200;
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_ROUND_NANOS = 1_000_000;
    /**
     * The maximum ingest rate when none is given: {@code ./benchmarks/run ingest} on a quiet 2-core machine
     * (benchmarks/README.md, 2026-12-07, 50 ms commits: 53 324 events/s); the rate {@code half} is half of it.
     */
    private static final int DEFAULT_MAX_INGEST_RATE = 53_324;

    /** The recorders of one measured rate; while none is current (warm-up, drain), samples are dropped. */
    private record Phase(
            LatencyRecorder freshness,
            LatencyRecorder snapshotWritten,
            LatencyRecorder snapshotCommitted,
            LatencyRecorder storeAcknowledged,
            LatencyRecorder storeWrite,
            LatencyRecorder kafkaUncommitted,
            LatencyRecorder kafkaCommitted,
            LatencyRecorder redisSetGet) {
        Phase() {
            this(
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder(),
                    new LatencyRecorder());
        }
    }

    /** An event whose visibility the poller waits for. */
    private record Probe(long user, long eventTime, long producedNanos, Phase phase, int generation) {}

    private final AtomicReference<Phase> current = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final AtomicInteger outstanding = new AtomicInteger();
    /** Bumped when waiting for probes times out: the poller then drops the older ones. */
    private final AtomicInteger generation = new AtomicInteger();
    /** The poller's reads, and those that failed (a timeout on a loaded machine): it reads again. */
    private final AtomicLong pollerReads = new AtomicLong();

    private final AtomicLong pollerReadFailures = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int maxIngestRate = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_MAX_INGEST_RATE;
        int half = maxIngestRate / 2;
        int[] rates = Arrays.stream((args.length > 0 ? args[0] : "2000,half").split(","))
                .mapToInt(rate -> rate.equals("half") ? half : Integer.parseInt(rate))
                .toArray();
        Duration perRate = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 20);
        Duration commit =
                args.length > 2 ? Duration.ofMillis(Long.parseLong(args[2])) : IngestConfig.DEFAULT_COMMIT_INTERVAL;
        new FreshnessBenchmark().run(rates, perRate, commit, maxIngestRate);
    }

    private void run(int[] rates, Duration perRate, Duration commit, int maxIngestRate) throws Exception {
        Results results = new Results();
        double worstP99 = Double.NaN;
        FeatureDefinitions definitions = IngestBenchmark.definitions();
        java.nio.file.Path stateDir = Files.createTempDirectory("fathom-freshness-");
        try (KafkaBroker broker = KafkaBroker.startInJvm();
                RedisServer redis = RedisServer.startOnFreePort();
                RedisOnlineStore store = RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(definitions));
                RawLettuce lettuce = new RawLettuce(redis.uri())) {
            broker.createTopics(PARTITIONS, IngestBenchmark.TOPIC);
            IngestConfig config = IngestConfig.builder()
                    .kafka(broker.kafka().toBuilder().partitions(PARTITIONS).build())
                    .stateDir(stateDir)
                    .applicationId("bench-freshness")
                    .commitInterval(commit)
                    .build();
            OnlineFeatureReader reader = new OnlineFeatureReader(definitions, store, Clock.systemUTC());
            String rekeyed = IngestTopics.defaults(config.applicationId(), PARTITIONS)
                    .rekeyed(definitions.views().get(0));
            ToLongFunction<ConsumerRecord<byte[], byte[]>> since = record -> System.nanoTime()
                    - ByteBuffer.wrap(
                                    record.headers().lastHeader(PRODUCED_NANOS).value())
                            .getLong();
            try (StreamsApp ingest =
                            IngestService.start(definitions, config, Clock.systemUTC(), new SimpleMeterRegistry());
                    OnlineWriter writer = new OnlineWriter(
                            new TimedStore(store),
                            OnlineWriterConfig.builder()
                                    .kafka(config.kafka())
                                    .groupId("bench-online-writer")
                                    .views(List.of(VIEW))
                                    .build(),
                            Clock.systemUTC());
                    KafkaProducer<byte[], byte[]> producer = producer(broker);
                    Admin admin = Admin.create(broker.kafka().adminProperties())) {
                daemon("poller", () -> poll(reader));
                String input = IngestBenchmark.TOPIC;
                daemon("kafka-uncommitted", () -> consume(broker, input, false, Phase::kafkaUncommitted, since));
                daemon("kafka-committed", () -> consume(broker, input, true, Phase::kafkaCommitted, since));
                String snapshots = definitions.views().get(0).snapshotTopic();
                SnapshotCodec codec = new SnapshotCodec();
                ToLongFunction<ConsumerRecord<byte[], byte[]>> sinceEvent = record -> (System.currentTimeMillis()
                                - codec.decode(record.value()).eventTs())
                        * 1_000_000L;
                daemon(
                        "snapshots-written",
                        () -> consume(broker, snapshots, false, Phase::snapshotWritten, sinceEvent));
                daemon(
                        "snapshots-committed",
                        () -> consume(broker, snapshots, true, Phase::snapshotCommitted, sinceEvent));
                daemon("redis-set-get", () -> setThenGet(lettuce.connect()));
                System.out.printf(
                        "freshness benchmark: view %s (10 windowed features), %,d entities, %d partitions, "
                                + "ingest commit interval %d ms, %s per rate after a %d s warm-up; %d cores, "
                                + "load average %.1f at start%n"
                                + "  maximum ingest rate %,d events/s (given), so half of it is %,d events/s; "
                                + "rates %s events/s%n",
                        VIEW,
                        ENTITIES,
                        PARTITIONS,
                        commit.toMillis(),
                        perRate.toSeconds() + " s",
                        WARM_UP.toSeconds(),
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage(),
                        maxIngestRate,
                        maxIngestRate / 2,
                        Arrays.toString(rates));
                Report.note("anchor: Kafka end to end on the input topic (plain consumers, read_uncommitted and "
                        + "read_committed) + Redis SET then GET (Lettuce), measured during the same seconds");
                long sentBefore = produce(producer, rates[0], WARM_UP, null);
                awaitDrained("warm-up");
                for (int rate : rates) {
                    Phase phase = new Phase();
                    current.set(phase);
                    Map<String, Double> before = ingestTotals(ingest);
                    long start = System.nanoTime();
                    long sent = produce(producer, rate, perRate, phase);
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Map<String, Double> after = ingestTotals(ingest);
                    double achieved = sent / seconds;
                    int unresolved = awaitDrained(rate + " events/s");
                    current.set(null);
                    report(rate, achieved, perRate, phase, unresolved, writer);
                    reportIngest(before, after, seconds, admin, rekeyed, sentBefore + sent);
                    sentBefore += sent;
                    double p99 = phase.freshness().p99();
                    results.put(
                            "freshness_p50_ms_at_" + rate + "_per_s",
                            phase.freshness().p50());
                    results.put("freshness_p99_ms_at_" + rate + "_per_s", p99);
                    results.put(
                            "freshness_anchor_p99_ms_at_" + rate + "_per_s",
                            phase.kafkaCommitted().p99() + phase.redisSetGet().p99());
                    results.put("freshness_unresolved_at_" + rate + "_per_s", unresolved);
                    worstP99 = Double.isNaN(worstP99) ? p99 : Math.max(worstP99, p99);
                }
            } finally {
                running = false;
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a benchmark thread failed", failure.get());
        }
        // The figure against the target: the worst p99 over the rates run (the default rates end at half
        // of the maximum ingest rate).
        results.put("freshness_p99_ms", worstP99);
        results.put("freshness_max_ingest_per_s", maxIngestRate);
        results.put("freshness_half_max_ingest_per_s", maxIngestRate / 2);
        results.put("freshness_commit_ms", commit.toMillis());
        results.print();
    }

    private void report(int rate, double achieved, Duration perRate, Phase phase, int unresolved, OnlineWriter writer) {
        Report.latencyHeader(String.format(
                "%,d events/s asked, %,.0f/s sent for %d s; produce -> readable for %,d sampled events",
                rate, achieved, perRate.toSeconds(), phase.freshness().count()));
        Report.latencyRow("Fathom produce -> online read shows it", phase.freshness());
        Report.latencyRow("  stage: produce -> snapshot written", phase.snapshotWritten());
        Report.latencyRow("  stage: produce -> snapshot committed", phase.snapshotCommitted());
        Report.latencyRow("  stage: produce -> in Redis (writer acked)", phase.storeAcknowledged());
        Report.latencyRow("  writer: one store write (batch)", phase.storeWrite());
        Report.latencyRow("anchor: Kafka produce -> consume, uncommitted", phase.kafkaUncommitted());
        Report.latencyRow("anchor: Kafka produce -> consume, committed", phase.kafkaCommitted());
        Report.latencyRow("anchor: Redis SET then GET", phase.redisSetGet());
        double anchorP99 = phase.kafkaCommitted().p99() + phase.redisSetGet().p99();
        double anchorP50 = phase.kafkaCommitted().p50() + phase.redisSetGet().p50();
        System.out.println("  -- against the target (benchmarks/README.md)");
        Report.target("Fathom freshness p99", phase.freshness().p99(), 100, "ms");
        Report.beside(
                "Fathom freshness p99 beside the anchor",
                phase.freshness().p99(),
                "Kafka committed p99 + Redis SET/GET p99 =",
                anchorP99,
                "ms");
        Report.beside(
                "Fathom freshness p50 beside the anchor",
                phase.freshness().p50(),
                "Kafka committed p50 + Redis SET/GET p50 =",
                anchorP50,
                "ms");
        Report.note(String.format(
                "sampled events not readable within %d s: %d; online writer applied %,d snapshots so far, %d records behind",
                DRAIN_TIMEOUT.toSeconds(), unresolved, writer.appliedSnapshots(), writer.recordsBehind()));
        Report.note(String.format(
                Locale.ROOT,
                "online writer: %,d writes of %.0f snapshots on average; poller: %,d reads so far, %,d timed out",
                phase.storeWrite().count(),
                phase.storeAcknowledged().count()
                        / (double) Math.max(1, phase.storeWrite().count()),
                pollerReads.get(),
                pollerReadFailures.get()));
    }

    /** The cumulative figures of ingest's clients that {@link #reportIngest} takes differences of. */
    private static final List<String> INGEST_TOTALS = List.of(
            "stream-thread-metrics/commit-total",
            "stream-thread-metrics/process-total",
            "producer-metrics/flush-time-ns-total",
            "producer-metrics/txn-send-offsets-time-ns-total",
            "producer-metrics/txn-commit-time-ns-total",
            "producer-metrics/txn-begin-time-ns-total");

    /** Ingest's cumulative client metrics (summed over its clients) and the CPU time of the benchmark's threads. */
    private static Map<String, Double> ingestTotals(StreamsApp ingest) {
        Map<String, Double> totals = new HashMap<>();
        ingest.streams().metrics().forEach((name, metric) -> {
            String key = name.group() + "/" + name.name();
            if (INGEST_TOTALS.contains(key) && metric.metricValue() instanceof Double value) {
                totals.merge(key, value, Double::sum);
            }
        });
        MonitorBenchmark.threadCpuNanos().forEach((thread, cpu) -> {
            String group = threadGroup(thread.replaceAll("#\\d+$", "")); // the key is name#id
            totals.merge("cpu/" + group, cpu / 1e9, Double::sum);
            totals.merge("cpu/all threads", cpu / 1e9, Double::sum);
        });
        return totals;
    }

    private static String threadGroup(String name) {
        if (name.contains("StreamThread")) {
            return "ingest stream thread";
        }
        if (name.contains("kafka-producer-network-thread") && name.contains("bench-freshness")) {
            return "ingest producer";
        }
        if (name.startsWith("fathom-online-writer")) {
            return "online writer";
        }
        if (name.equals("freshness-poller")) {
            return "benchmark poller";
        }
        if (name.startsWith("freshness-")) {
            return "benchmark (producer, poller, anchors)";
        }
        if (name.startsWith("main")) {
            return "benchmark (producer, poller, anchors)";
        }
        return "broker, Redis client, JVM";
    }

    /**
     * Where ingest's time went while the rate ran ({@code before} and {@code after} from {@link #ingestTotals}):
     * commits per second and, per commit, the transactional producer's flush, offsets and commit; CPU seconds per
     * second by thread group; and the events that went through the re-keyed topic so far: none when the producer
     * keys each event by its entity, as this one does.
     */
    private static void reportIngest(
            Map<String, Double> before,
            Map<String, Double> after,
            double seconds,
            Admin admin,
            String rekeyed,
            long sent)
            throws Exception {
        java.util.function.ToDoubleFunction<String> delta =
                key -> after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
        double commits = delta.applyAsDouble("stream-thread-metrics/commit-total");
        java.util.function.ToDoubleFunction<String> perCommitMs =
                key -> delta.applyAsDouble("producer-metrics/" + key) / 1e6 / Math.max(1, commits);
        Report.note(String.format(
                Locale.ROOT,
                "ingest: %.1f commits/s (%.0f events each); per commit, the producer's flush %.1f ms, offsets %.1f ms,"
                        + " commit %.1f ms, begin %.1f ms",
                commits / seconds,
                delta.applyAsDouble("stream-thread-metrics/process-total") / Math.max(1, commits),
                perCommitMs.applyAsDouble("flush-time-ns-total"),
                perCommitMs.applyAsDouble("txn-send-offsets-time-ns-total"),
                perCommitMs.applyAsDouble("txn-commit-time-ns-total"),
                perCommitMs.applyAsDouble("txn-begin-time-ns-total")));
        StringBuilder cpu = new StringBuilder("CPU s/s by thread:");
        after.keySet().stream()
                .filter(key -> key.startsWith("cpu/"))
                .sorted()
                .forEach(key -> cpu.append(
                        String.format(Locale.ROOT, " %s %.2f;", key.substring(4), delta.applyAsDouble(key) / seconds)));
        Report.note(cpu.toString());
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            ends.put(new TopicPartition(rekeyed, p), OffsetSpec.latest());
        }
        long hopped = 0;
        for (var info : admin.listOffsets(ends).all().get().values()) {
            hopped += info.offset();
        }
        Report.note(String.format(
                Locale.ROOT, "events through the re-keyed topic %s: %,d of %,d sent", rekeyed, hopped, sent));
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker broker) {
        Map<String, Object> props = new HashMap<>(broker.kafka().producerProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends events at {@code rate}/s for {@code duration}, event time = wall clock at send, the send's
     * {@code System.nanoTime()} in a header; samples probes for the poller. Returns the number sent.
     */
    private long produce(KafkaProducer<byte[], byte[]> producer, int rate, Duration duration, Phase phase) {
        BinaryMessageEncoder<GenericRecord> encoder =
                new BinaryMessageEncoder<>(GenericData.get(), IngestBenchmark.EVENT);
        Random random = new Random(rate);
        long interval = 1_000_000_000L / rate;
        int stride = Math.max(1, rate / PROBES_PER_SECOND);
        long events = rate * duration.toSeconds();
        long next = System.nanoTime();
        for (long i = 0; i < events && failure.get() == null; i++) {
            long now;
            while ((now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
            next += interval;
            long user = random.nextInt(ENTITIES);
            long eventTime = System.currentTimeMillis();
            GenericRecord event = new GenericData.Record(IngestBenchmark.EVENT);
            event.put("user_id", user);
            event.put("merchant", "m" + random.nextInt(200));
            event.put("amount", random.nextDouble() * 500);
            event.put("event_time", eventTime);
            byte[] value;
            try {
                value = encoder.encode(event).array();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    IngestBenchmark.TOPIC, Long.toString(user).getBytes(StandardCharsets.UTF_8), value);
            long producedNanos = System.nanoTime();
            record.headers()
                    .add(
                            PRODUCED_NANOS,
                            ByteBuffer.allocate(8).putLong(producedNanos).array());
            producer.send(record, (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            });
            if (i % stride == 0) {
                outstanding.incrementAndGet();
                probes.add(new Probe(user, eventTime, producedNanos, phase, generation.get()));
            }
        }
        producer.flush();
        return events;
    }

    /** Waits until every probe is readable (or the timeout); returns how many were not. */
    private int awaitDrained(String what) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline && failure.get() == null) {
            Thread.sleep(20);
        }
        Thread.sleep(500); // let the anchor consumers take the last records
        int left = outstanding.get();
        if (left > 0) {
            generation.incrementAndGet();
            outstanding.set(0);
        }
        if (left > 0) {
            System.out.printf("  %s: %d sampled events still not readable after %s%n", what, left, DRAIN_TIMEOUT);
        }
        return left;
    }

    /**
     * Reads the probed entities in batches until each shows its event, recording produce -> readable: a round of
     * reads of every waiting probe each millisecond.
     */
    private void poll(OnlineFeatureReader reader) {
        List<Probe> waiting = new ArrayList<>();
        while (running) {
            for (Probe probe = probes.poll(); probe != null; probe = probes.poll()) {
                waiting.add(probe);
            }
            int live = generation.get();
            waiting.removeIf(probe -> probe.generation() != live);
            if (waiting.isEmpty()) {
                LockSupport.parkNanos(POLL_ROUND_NANOS);
                continue;
            }
            List<Probe> still = new ArrayList<>();
            for (int from = 0; from < waiting.size(); from += 500) {
                List<Probe> chunk = waiting.subList(from, Math.min(waiting.size(), from + 500));
                List<Object> users = new ArrayList<>(chunk.size());
                chunk.forEach(p -> users.add(p.user()));
                OnlineResult result;
                try {
                    result = reader.read(List.of(FEATURE), Map.of("user_id", users));
                } catch (StoreUnavailableException e) {
                    pollerReadFailures.incrementAndGet();
                    still.addAll(chunk);
                    continue;
                } finally {
                    pollerReads.incrementAndGet();
                }
                long now = System.nanoTime();
                for (int i = 0; i < chunk.size(); i++) {
                    Probe probe = chunk.get(i);
                    EntityResult row = result.results().get(i);
                    Long eventTs = row.eventTimestamps().get(0);
                    if (eventTs != null && eventTs >= probe.eventTime()) {
                        outstanding.decrementAndGet();
                        if (probe.phase() != null) {
                            probe.phase().freshness().record(now - probe.producedNanos());
                        }
                    } else {
                        still.add(probe);
                    }
                }
            }
            waiting = still;
            // One round per millisecond at most: the figures are to the millisecond, and the poller's reads
            // take no more of the machine than they must from what they measure.
            LockSupport.parkNanos(POLL_ROUND_NANOS);
        }
    }

    /**
     * A plain consumer of a topic from its end, recording a latency per record into the current phase:
     * the anchor on the input topic, and the ingest stages on the snapshot topic (there from the event
     * time, a wall-clock millisecond, so to 1 ms).
     */
    private void consume(
            KafkaBroker broker,
            String topic,
            boolean readCommitted,
            Function<Phase, LatencyRecorder> recorder,
            ToLongFunction<ConsumerRecord<byte[], byte[]>> latencyNanos) {
        IsolationLevel isolation = readCommitted ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
        Map<String, Object> props =
                new HashMap<>(broker.kafka().consumerProperties("bench-" + topic + "-" + isolation));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                Phase phase = current.get();
                if (phase == null) {
                    continue;
                }
                LatencyRecorder into = recorder.apply(phase);
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    into.record(latencyNanos.applyAsLong(record));
                }
            }
        }
    }

    /** A Redis SET then GET of a 512-byte value every 5 ms: the store's write and read round trips, raw. */
    private void setThenGet(StatefulRedisConnection<byte[], byte[]> connection) {
        byte[] key = "bench:freshness:anchor".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[512];
        while (running) {
            long start = System.nanoTime();
            RawLettuce.setThenGet(connection, key, value);
            long latency = System.nanoTime() - start;
            Phase phase = current.get();
            if (phase != null) {
                phase.redisSetGet().record(latency);
            }
            LockSupport.parkNanos(5_000_000);
        }
    }

    /**
     * The store as the online writer sees it, timing each write it had acknowledged: now - the snapshot's
     * {@code event_ts} (wall-clock milliseconds, so to 1 ms) per snapshot, and the write call per batch.
     */
    private final class TimedStore implements OnlineStore {
        private final OnlineStore delegate;

        TimedStore(OnlineStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public void write(List<StoredSnapshot> snapshots) {
            long start = System.nanoTime();
            delegate.write(snapshots);
            long took = System.nanoTime() - start;
            long nowMillis = System.currentTimeMillis();
            Phase phase = current.get();
            if (phase != null) {
                phase.storeWrite().record(took);
                for (StoredSnapshot snapshot : snapshots) {
                    phase.storeAcknowledged().record((nowMillis - snapshot.eventTs()) * 1_000_000L);
                }
            }
        }

        @Override
        public List<StoredSnapshot> read(String view, List<String> entityKeys) {
            return delegate.read(view, entityKeys);
        }

        @Override
        public void close() {
            // the delegate is closed by its owner
        }
    }

    private Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        if (running) {
                            failure.compareAndSet(null, e);
                        }
                    }
                },
                "freshness-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
