package io.fathom.benchmarks;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.Topics;
import io.fathom.monitor.BaselinePublisher;
import io.fathom.monitor.MonitorConfig;
import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.MonitorSerdes;
import io.fathom.monitor.MonitorService;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.MonitorTopology;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.Records;
import io.fathom.testkit.Snapshots;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Monitor throughput, feature values/s, for one view of F numeric features and N snapshots, windows closing
 * as event time advances, measured two ways beside its anchor:
 *
 * <ul>
 *   <li><b>real broker</b> (the figure): the snapshots are produced to {@code fathom.snapshots.<view>} on the
 *       in-JVM broker (testkit {@link KafkaBroker}) before the monitor starts; then {@link MonitorService}
 *       (exactly-once v2, as deployed) consumes them, timed from the first record its stream thread processed
 *       to the last drift report (emitted when the last snapshot closes the last window);
 *   <li><b>TopologyTestDriver</b> (the topology's own cost without a broker; the driver commits, and so
 *       flushes every store, after every record);
 *   <li><b>anchor</b>: a raw DataSketches {@code KllDoublesSketch.update} loop (k = 200, one sketch per feature)
 *       over the same values, and {@link LiveWindow#add} in a plain loop (the monitor's per-value work
 *       without Streams).
 * </ul>
 *
 * <p>Heap after a full GC is printed at the start and the end of the broker run (the end while the monitor still
 * runs): the monitor holds its open windows, not its events.
 *
 * <p>Run: {@code java -cp ... io.fathom.benchmarks.MonitorBenchmark [snapshots] [features] [snapshots per
 * window] [partitions] [commit ms] [driver snapshots]}; see benchmarks/README.md. It ends with lines {@code
 * result <name> <number>}.
 */
public final class MonitorBenchmark {
    static final String VIEW = "bench_monitor";
    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofHours(1);
    static final Duration GRACE = Duration.ofMinutes(5);
    /** DESIGN: ≥ 1M feature values/s on the real broker, and ≥ 10× ingest's snapshot rate. */
    static final double TARGET = 1_000_000;

    private MonitorBenchmark() {}

    public static void main(String[] args) throws Exception {
        int snapshots = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int perWindow = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int partitions = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        Duration commitInterval = Duration.ofMillis(args.length > 4 ? Long.parseLong(args[4]) : 100);
        int driverSnapshots = Math.min(snapshots, args.length > 5 ? Integer.parseInt(args[5]) : 200_000);
        long values = (long) snapshots * features;

        Random random = new Random(7);
        Baseline baseline = baseline(features, random);
        double[][] data = new double[snapshots][features];
        for (double[] row : data) {
            for (int f = 0; f < features; f++) {
                row[f] = 100 * (f + 1) + 10 * random.nextGaussian();
            }
        }

        // Anchor and LiveWindow: a warm-up pass each, then the best of 5 passes (one pass is at the mercy of
        // the scheduler); the anchor again after the topology runs, to show the machine did not change under it.
        kllRate(data, features);
        double kll = best(() -> kllRate(data, features));
        liveWindowRate(baseline, data, features, perWindow);
        double live = best(() -> liveWindowRate(baseline, data, features, perWindow));
        BrokerRun broker = brokerRate(baseline, data, features, perWindow, partitions, commitInterval);
        TopologyRun driver = driverSnapshots > 0
                ? driverRate(baseline, java.util.Arrays.copyOf(data, driverSnapshots), features, perWindow)
                : null;
        double kllAfter = best(() -> kllRate(data, features));

        System.out.printf(
                Locale.ROOT,
                "monitor benchmark: %,d snapshots × %d numeric features = %,d values, %,d snapshots per 1h window"
                        + " (%d windows); snapshot topic of %d partition(s); commit every %d ms%n",
                snapshots,
                features,
                values,
                perWindow,
                (snapshots + perWindow - 1) / perWindow,
                partitions,
                commitInterval.toMillis());
        System.out.printf(
                Locale.ROOT,
                "  MonitorService, real broker:           %,.0f values/s (%,.0f snapshots/s, %.2f s from the first"
                        + " record processed to the last report; %d drift reports)%n",
                broker.valuesPerSecond,
                broker.valuesPerSecond / features,
                broker.seconds,
                broker.reports);
        if (driver != null) {
            System.out.printf(
                    Locale.ROOT,
                    "  MonitorTopology, TopologyTestDriver:   %,.0f values/s (%,.0f snapshots/s, %,d snapshots in %.2f"
                            + " s; %d drift reports)%n",
                    driver.valuesPerSecond,
                    driver.valuesPerSecond / features,
                    driverSnapshots,
                    driver.seconds,
                    driver.reports);
        }
        System.out.printf(Locale.ROOT, "  LiveWindow.add loop:                   %,.0f values/s (best of 5)%n", live);
        System.out.printf(
                Locale.ROOT,
                "  raw KLL update (anchor, k=200):        %,.0f values/s (best of 5; again after the runs: %,.0f)%n",
                kll,
                kllAfter);
        System.out.printf(
                Locale.ROOT,
                "  heap after GC: %.1f MB at the start, %.1f MB at the end (monitor running, every window closed)%n",
                broker.heapStartBytes / 1e6,
                broker.heapEndBytes / 1e6);
        System.out.printf(Locale.ROOT, "  ratio broker / KLL:     %.4f%n", broker.valuesPerSecond / kll);
        System.out.printf(Locale.ROOT, "  ratio LiveWindow / KLL: %.3f%n", live / kll);
        System.out.printf(
                Locale.ROOT,
                "  target: >= %,.0f values/s on the real broker: %.2f× target (%s)%n",
                TARGET,
                broker.valuesPerSecond / TARGET,
                broker.valuesPerSecond >= TARGET ? "met" : "missed");
        System.out.println();
        result("monitor_values_per_s", broker.valuesPerSecond);
        result("monitor_kll_anchor_values_per_s", kll);
    }

    private static void result(String name, double value) {
        System.out.println("result " + name + " " + Math.round(value));
    }

    private static double best(java.util.function.DoubleSupplier pass) {
        double best = 0;
        for (int i = 0; i < 5; i++) {
            best = Math.max(best, pass.getAsDouble());
        }
        return best;
    }

    static String name(int f) {
        return "f" + f;
    }

    static FeatureDefinitions definitions(int features) {
        Definitions.ViewBuilder view = Definitions.view(VIEW);
        for (int f = 0; f < features; f++) {
            view.feature(name(f), Aggregation.SUM, "amount", WINDOW);
        }
        DriftMonitor monitor = new DriftMonitor(VIEW, WINDOW, 200, new DriftRule("psi", 0.2), Map.of(), GRACE, 2, 2);
        return Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("transactions", "transactions", "ts")
                .view(view)
                .monitors(monitor)
                .build();
    }

    static Baseline baseline(int features, Random random) {
        Baseline.Builder builder = Baseline.builder(VIEW, "benchmark", Clock.fixed(T0, ZoneOffset.UTC));
        for (int f = 0; f < features; f++) {
            double[] reference = new double[50_000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = 100 * (f + 1) + 10 * random.nextGaussian();
            }
            builder.numeric(name(f), reference);
        }
        return builder.build();
    }

    static double kllRate(double[][] data, int features) {
        KllDoublesSketch[] sketches = new KllDoublesSketch[features];
        for (int f = 0; f < features; f++) {
            sketches[f] = KllDoublesSketch.newHeapInstance(200);
        }
        long start = System.nanoTime();
        for (double[] row : data) {
            for (int f = 0; f < features; f++) {
                sketches[f].update(row[f]);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long n = 0;
        for (KllDoublesSketch s : sketches) {
            n += s.getN();
        }
        return n / seconds;
    }

    /** One LiveWindow per feature per window, as the topology keeps them; a new set every window. */
    static double liveWindowRate(Baseline baseline, double[][] data, int features, int perWindow) {
        long start = System.nanoTime();
        long n = 0;
        LiveWindow[] windows = new LiveWindow[features];
        for (int i = 0; i < data.length; i++) {
            if (i % perWindow == 0) {
                for (int f = 0; f < features; f++) {
                    if (windows[f] != null) {
                        n += windows[f].n();
                    }
                    windows[f] = LiveWindow.of(baseline.feature(name(f)).orElseThrow());
                }
            }
            double[] row = data[i];
            for (int f = 0; f < features; f++) {
                windows[f].add((Object) row[f]);
            }
        }
        for (LiveWindow w : windows) {
            n += w.n();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return n / seconds;
    }

    /** Snapshot {@code i}'s event time: {@code perWindow} snapshots spread over each 1 h window from T0. */
    static long eventTime(int i, int perWindow) {
        long windowMs = WINDOW.toMillis();
        return T0.toEpochMilli() + (i / perWindow) * windowMs + (windowMs - 1) * (i % perWindow) / perWindow;
    }

    /** One empty snapshot past the last window's end + grace, so every window closes in the timed run. */
    static long closerTime(int snapshots, int perWindow) {
        long lastWindow = (snapshots - 1) / perWindow;
        return T0.toEpochMilli() + (lastWindow + 1) * WINDOW.toMillis() + GRACE.toMillis() + 60_000;
    }

    static FeatureSnapshot snapshot(double[][] data, int i, int features, int perWindow) {
        Map<String, Object> values = new HashMap<>();
        for (int f = 0; f < features; f++) {
            values.put(name(f), data[i][f]);
        }
        return Snapshots.ofValues(VIEW, "u" + (i % 10_000), eventTime(i, perWindow), values);
    }

    static int expectedReports(int snapshots, int perWindow, int features) {
        return ((snapshots - 1) / perWindow + 1) * features;
    }

    record BrokerRun(double valuesPerSecond, double seconds, int reports, long heapStartBytes, long heapEndBytes) {}

    /**
     * Produces every snapshot to the snapshot topic, then starts {@link MonitorService} and waits for the report of
     * every window; values/s over the time from the stream thread's first processed record to the last report.
     */
    static BrokerRun brokerRate(
            Baseline baseline, double[][] data, int features, int perWindow, int partitions, Duration commitInterval)
            throws Exception {
        MonitorTopics topics = MonitorTopics.defaults();
        String snapshotTopic = ViewDefinition.snapshotTopicOf(VIEW);
        Path stateDir = Files.createTempDirectory("fathom-monbench-broker-");
        int expected = expectedReports(data.length, perWindow, features);
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            KafkaSettings kafka =
                    broker.kafka().toBuilder().partitions(partitions).build();
            broker.createTopics(partitions, snapshotTopic);
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                Topics.ensure(admin, List.of(BaselinePublisher.topic(topics.baselines(), 1, (short) 1)));
            }
            try (BaselinePublisher publisher = new BaselinePublisher(kafka, topics.baselines())) {
                publisher.publish(baseline);
            }
            long produceStart = System.nanoTime();
            produce(kafka, snapshotTopic, data, features, perWindow);
            System.out.printf(
                    Locale.ROOT,
                    "  broker: produced %,d snapshots to %s (%d partition(s)) in %.1f s%n",
                    data.length + 1,
                    snapshotTopic,
                    partitions,
                    (System.nanoTime() - produceStart) / 1e9);

            long heapStart = heapAfterGc();
            ReportClock clock = new ReportClock(expected);
            MonitorConfig config = MonitorConfig.builder()
                    .kafka(kafka)
                    .stateDir(stateDir)
                    .applicationId("bench-monitor")
                    .topics(topics)
                    .commitInterval(commitInterval)
                    .build();
            long started = System.nanoTime();
            try (StreamsApp monitor =
                    MonitorService.start(definitions(features), config, new SimpleMeterRegistry(), clock)) {
                FirstProcessed first = FirstProcessed.watch(monitor.streams());
                if (!clock.done.await(15, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the monitor emitted " + clock.reports.size() + " of " + expected
                            + " drift reports within 15 minutes; state " + monitor.state());
                }
                long firstProcessed = first.stop();
                long end = clock.last.get();
                System.out.printf(
                        Locale.ROOT,
                        "  broker: first record processed %.1f s after start, first report after %.2f s more, last"
                                + " report %.2f s after the first record%n",
                        (firstProcessed - started) / 1e9,
                        (clock.first.get() - firstProcessed) / 1e9,
                        (end - firstProcessed) / 1e9);
                long heapEnd = heapAfterGc();
                // every report committed, read back as a consumer of the topic would
                int committed = Records.drain(
                                kafka.consumerProperties("bench-monitor-reports"),
                                new StringDeserializer(),
                                MonitorSerdes.driftReport().deserializer(),
                                List.of(topics.driftReports()),
                                expected,
                                Duration.ofMinutes(2))
                        .size();
                if (committed != expected) {
                    throw new IllegalStateException(
                            "expected " + expected + " committed drift reports, read " + committed);
                }
                double seconds = (end - firstProcessed) / 1e9;
                return new BrokerRun((double) data.length * features / seconds, seconds, expected, heapStart, heapEnd);
            }
        }
    }

    private static void produce(KafkaSettings kafka, String topic, double[][] data, int features, int perWindow) {
        Map<String, Object> props = new HashMap<>(kafka.producerProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        Serializer<FeatureSnapshot> serializer =
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i <= data.length; i++) {
                FeatureSnapshot snapshot = i < data.length
                        ? snapshot(data, i, features, perWindow)
                        : Snapshots.ofValues(VIEW, "closer", closerTime(data.length, perWindow), Map.of());
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                snapshot.getEventTs(),
                                snapshot.getEntityKey().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(topic, snapshot)),
                        (metadata, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the benchmark's snapshots failed", failure.get());
        }
    }

    /**
     * Told of every drift report: the time of the first and of the last, and when all have come (a report repeated
     * by a retried transaction counts once).
     */
    private static final class ReportClock implements MonitorListener {
        final Set<String> reports = ConcurrentHashMap.newKeySet();
        final AtomicLong first = new AtomicLong();
        final AtomicLong last = new AtomicLong();
        final CountDownLatch done = new CountDownLatch(1);
        private final int expected;

        ReportClock(int expected) {
            this.expected = expected;
        }

        @Override
        public void onDriftReport(DriftReport report) {
            long now = System.nanoTime();
            first.compareAndSet(0, now);
            if (reports.add(report.getFeature() + "@" + report.getWindowStart())) {
                last.set(now);
                if (reports.size() == expected) {
                    done.countDown();
                }
            }
        }
    }

    /**
     * Watches the stream threads' {@code process-total} metric on its own thread, every millisecond, and notes when
     * it first moves: the first record processed.
     */
    private static final class FirstProcessed implements Runnable {
        private final KafkaStreams streams;
        private final AtomicLong at = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;

        private FirstProcessed(KafkaStreams streams) {
            this.streams = streams;
            this.thread = new Thread(this, "bench-first-processed");
            thread.setDaemon(true);
        }

        static FirstProcessed watch(KafkaStreams streams) {
            FirstProcessed watcher = new FirstProcessed(streams);
            watcher.thread.start();
            return watcher;
        }

        @Override
        public void run() {
            while (!stopped && at.get() == 0) {
                double processed = 0;
                for (Map.Entry<MetricName, ? extends Metric> e :
                        streams.metrics().entrySet()) {
                    MetricName name = e.getKey();
                    if (name.name().equals("process-total") && name.group().equals("stream-thread-metrics")) {
                        processed += ((Number) e.getValue().metricValue()).doubleValue();
                    }
                }
                if (processed > 0) {
                    at.compareAndSet(0, System.nanoTime());
                    return;
                }
                try {
                    Thread.sleep(1); // a benchmark's sampler, not a test's wait
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** When the first record was processed. */
        long stop() throws InterruptedException {
            stopped = true;
            thread.join();
            if (at.get() == 0) {
                throw new IllegalStateException("the stream thread's process-total never moved");
            }
            return at.get();
        }
    }

    /** Heap in use after a full collection (twice, so finalizable garbage goes too), in bytes. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    record TopologyRun(double valuesPerSecond, double seconds, int reports) {}

    /** The same run under TopologyTestDriver: no broker, a commit after every record. */
    static TopologyRun driverRate(Baseline baseline, double[][] data, int features, int perWindow) throws Exception {
        MonitorTopics topics = MonitorTopics.defaults();
        Path stateDir = Files.createTempDirectory("fathom-monbench-");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-monitor");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Snapshots (Avro, built ahead of time, so the timed loop pays only the topology).
        List<TestRecord<String, FeatureSnapshot>> records = new ArrayList<>(data.length + 1);
        for (int i = 0; i < data.length; i++) {
            FeatureSnapshot s = snapshot(data, i, features, perWindow);
            records.add(new TestRecord<>(s.getEntityKey(), s, Instant.ofEpochMilli(s.getEventTs())));
        }
        long closer = closerTime(data.length, perWindow);
        records.add(new TestRecord<>(
                "closer", Snapshots.ofValues(VIEW, "closer", closer, Map.of()), Instant.ofEpochMilli(closer)));

        try (TopologyTestDriver driver = new TopologyTestDriver(
                MonitorTopology.build(definitions(features), topics, MonitorListener.NONE), props)) {
            TestInputTopic<String, String> baselines =
                    driver.createInputTopic(topics.baselines(), new StringSerializer(), new StringSerializer());
            TestInputTopic<String, FeatureSnapshot> input = driver.createInputTopic(
                    ViewDefinition.snapshotTopicOf(VIEW),
                    new StringSerializer(),
                    AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema())
                            .serializer());
            TestOutputTopic<String, DriftReport> reports = driver.createOutputTopic(
                    topics.driftReports(),
                    new StringDeserializer(),
                    MonitorSerdes.driftReport().deserializer());
            baselines.pipeInput(VIEW, baseline.toJson(), T0.toEpochMilli());

            // TopologyTestDriver keeps every record the topology produces, changelogs included, until read: drain
            // them every 1 000 inputs, and subtract the draining time (the harness's cost, not the topology's; it
            // is printed).
            long start = System.nanoTime();
            long drainNanos = 0;
            int reportCount = 0;
            int piped = 0;
            for (TestRecord<String, FeatureSnapshot> r : records) {
                input.pipeInput(r);
                if (++piped % 1_000 == 0) {
                    long d = System.nanoTime();
                    reportCount += drain(driver, topics, reports);
                    drainNanos += System.nanoTime() - d;
                }
            }
            long end = System.nanoTime();
            reportCount += drain(driver, topics, reports);
            double seconds = (end - start - drainNanos) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "  driver: %.2f s from first to last pipeInput, of which %.2f s draining captured output%n",
                    (end - start) / 1e9,
                    drainNanos / 1e9);
            int expected = expectedReports(data.length, perWindow, features);
            if (reportCount != expected) {
                throw new IllegalStateException(
                        "expected " + expected + " drift reports (every window closed), got " + reportCount);
            }
            return new TopologyRun((double) data.length * features / seconds, seconds, reportCount);
        }
    }

    /** Discards everything captured so far; returns the number of drift reports among it. */
    private static int drain(
            TopologyTestDriver driver, MonitorTopics topics, TestOutputTopic<String, DriftReport> reports) {
        int count = 0;
        for (String topic : driver.producedTopicNames()) {
            if (topic.equals(topics.driftReports())) {
                count += (int) reports.getQueueSize();
                reports.readRecordsToList();
            } else {
                driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList();
            }
        }
        return count;
    }
}
