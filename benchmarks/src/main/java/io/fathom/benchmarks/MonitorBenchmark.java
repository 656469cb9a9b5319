package io.fathom.benchmarks;

import io.fathom.core.WatermarkTracker;
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
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.apache.kafka.clients.producer.Callback;
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
 *       to the last drift report (emitted when the last snapshot closes the last window). A warm-up run of the
 *       monitor over the first snapshots, under another view and application id, comes first, so the timed run
 *       measures compiled code, as a monitor that has run for a minute does;
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
 * window] [partitions] [commit ms] [driver snapshots] [warm-up snapshots] [ingest snapshots/s]}; see
 * benchmarks/README.md. It ends with lines {@code
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
        int warmUp = Math.min(snapshots, args.length > 6 ? Integer.parseInt(args[6]) : 300_000);
        // ingest's snapshot rate on this machine (IngestBenchmark), for the ratio DESIGN targets; 0: not known
        double ingestSnapshotsPerSecond = args.length > 7 ? Double.parseDouble(args[7]) : 0;
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
        BrokerRun broker = brokerRate(baseline, data, features, perWindow, partitions, commitInterval, warmUp);
        TopologyRun driver = driverSnapshots > 0
                ? driverRate(baseline, Arrays.copyOf(data, driverSnapshots), features, perWindow)
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
                "  CPU over the timed run: stream thread %.2f s (%,.0f values per stream-thread CPU second), whole"
                        + " process %.2f s (broker, monitor, everything; %.2f cores on average)%n",
                broker.streamThreadCpuSeconds,
                values / broker.streamThreadCpuSeconds,
                broker.processCpuSeconds,
                broker.processCpuSeconds / broker.seconds);
        System.out.printf(
                Locale.ROOT,
                "  heap after GC: %.1f MB at the start (the benchmark's %,d × %d values included), %.1f MB at the end"
                        + " (monitor running, every window closed): %+.1f MB over the run%n",
                broker.heapStartBytes / 1e6,
                snapshots,
                features,
                broker.heapEndBytes / 1e6,
                (broker.heapEndBytes - broker.heapStartBytes) / 1e6);
        System.out.printf(Locale.ROOT, "  ratio broker / KLL:     %.4f%n", broker.valuesPerSecond / kll);
        System.out.printf(Locale.ROOT, "  ratio LiveWindow / KLL: %.3f%n", live / kll);
        System.out.printf(
                Locale.ROOT,
                "  target: >= %,.0f values/s on the real broker: %.2f× target (%s)%n",
                TARGET,
                broker.valuesPerSecond / TARGET,
                broker.valuesPerSecond >= TARGET ? "met" : "missed");
        System.out.println();
        Results results = new Results();
        results.put("monitor_values_per_s", Math.round(broker.valuesPerSecond));
        results.put("monitor_snapshots_per_s", Math.round(broker.valuesPerSecond / features));
        results.put("monitor_livewindow_values_per_s", Math.round(live));
        results.put("monitor_kll_anchor_values_per_s", Math.round(kll));
        results.put("monitor_vs_raw_kll_ratio", broker.valuesPerSecond / kll);
        if (ingestSnapshotsPerSecond > 0) {
            // snapshots against snapshots: the monitor keeps up with ingest when this is at least 1
            results.put(
                    "monitor_vs_ingest_snapshots_ratio", broker.valuesPerSecond / features / ingestSnapshotsPerSecond);
        }
        results.print();
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
        return definitions(VIEW, features);
    }

    static FeatureDefinitions definitions(String name, int features) {
        Definitions.ViewBuilder view = Definitions.view(name);
        for (int f = 0; f < features; f++) {
            view.feature(name(f), Aggregation.SUM, "amount", WINDOW);
        }
        DriftMonitor monitor = new DriftMonitor(name, WINDOW, 200, new DriftRule("psi", 0.2), Map.of(), GRACE, 2, 2);
        return Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("transactions", "transactions", "ts")
                .view(view)
                .monitors(monitor)
                .build();
    }

    static Baseline baseline(int features, Random random) {
        return baseline(VIEW, features, random);
    }

    static Baseline baseline(String view, int features, Random random) {
        Baseline.Builder builder = Baseline.builder(view, "benchmark", Clock.fixed(T0, ZoneOffset.UTC));
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
        return snapshot(VIEW, data, i, features, perWindow);
    }

    static FeatureSnapshot snapshot(String view, double[][] data, int i, int features, int perWindow) {
        Map<String, Object> values = new HashMap<>();
        for (int f = 0; f < features; f++) {
            values.put(name(f), data[i][f]);
        }
        return Snapshots.ofValues(view, "u" + (i % 10_000), eventTime(i, perWindow), values);
    }

    static int expectedReports(int snapshots, int perWindow, int features) {
        return ((snapshots - 1) / perWindow + 1) * features;
    }

    record BrokerRun(
            double valuesPerSecond,
            double seconds,
            int reports,
            long heapStartBytes,
            long heapEndBytes,
            double streamThreadCpuSeconds,
            double processCpuSeconds) {}

    /**
     * On one broker: a warm-up run of the monitor over the first {@code warmUp} snapshots under another view (so the
     * JIT has compiled the monitor's and the broker's code: in a cold run of 10^6 snapshots the compilers took
     * about as much CPU as the monitor itself), then the timed run over all of them.
     */
    static BrokerRun brokerRate(
            Baseline baseline,
            double[][] data,
            int features,
            int perWindow,
            int partitions,
            Duration commitInterval,
            int warmUp)
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            KafkaSettings kafka =
                    broker.kafka().toBuilder().partitions(partitions).build();
            if (warmUp > 0) {
                String view = VIEW + "_warm_up";
                BrokerRun run = monitorRun(
                        kafka,
                        view,
                        baseline(view, features, new Random(11)),
                        Arrays.copyOf(data, warmUp),
                        features,
                        perWindow,
                        commitInterval,
                        false);
                System.out.printf(
                        Locale.ROOT,
                        "  warm-up (%s, %,d snapshots): %,.0f values/s%n",
                        view,
                        warmUp,
                        run.valuesPerSecond);
            }
            return monitorRun(kafka, VIEW, baseline, data, features, perWindow, commitInterval, true);
        }
    }

    /**
     * Produces every snapshot to the view's snapshot topic, then starts {@link MonitorService} (its own application
     * id and topics) and waits for the report of every window; values/s over the time from the stream thread's
     * first processed record to the last report.
     */
    static BrokerRun monitorRun(
            KafkaSettings kafka,
            String view,
            Baseline baseline,
            double[][] data,
            int features,
            int perWindow,
            Duration commitInterval,
            boolean verbose)
            throws Exception {
        int partitions = kafka.partitions();
        String prefix = view.replace('_', '-');
        MonitorTopics topics = new MonitorTopics(
                prefix + ".baselines",
                prefix + ".drift.reports",
                prefix + ".bias.reports",
                prefix + ".alerts",
                prefix + ".dlq");
        String snapshotTopic = ViewDefinition.snapshotTopicOf(view);
        Path stateDir = Files.createTempDirectory("fathom-monbench-" + prefix + "-");
        int expected = expectedReports(data.length, perWindow, features);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Topics.create(admin, partitions, snapshotTopic);
            Topics.ensure(admin, List.of(BaselinePublisher.topic(topics.baselines(), 1, (short) 1)));
        }
        try (BaselinePublisher publisher = new BaselinePublisher(kafka, topics.baselines())) {
            publisher.publish(baseline);
        }
        long produceStart = System.nanoTime();
        produce(kafka, view, snapshotTopic, partitions, data, features, perWindow);
        if (verbose) {
            System.out.printf(
                    Locale.ROOT,
                    "  broker: produced %,d snapshots to %s (%d partition(s)) in %.1f s%n",
                    data.length + 1,
                    snapshotTopic,
                    partitions,
                    (System.nanoTime() - produceStart) / 1e9);
        }

        long heapStart = heapAfterGc();
        ReportClock clock = new ReportClock(expected);
        String applicationId = prefix + "-app";
        MonitorConfig config = MonitorConfig.builder()
                .kafka(kafka)
                .stateDir(stateDir)
                .applicationId(applicationId)
                .topics(topics)
                .commitInterval(commitInterval)
                .build();
        long started = System.nanoTime();
        try (StreamsApp monitor = MonitorService.start(
                definitions(view, features), config, Clock.systemUTC(), new SimpleMeterRegistry(), clock)) {
            FirstProcessed first = FirstProcessed.watch(monitor.streams(), applicationId);
            if (!clock.done.await(15, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the monitor emitted " + clock.reports.size() + " of " + expected
                        + " drift reports within 15 minutes; state " + monitor.state());
            }
            long firstProcessed = first.stop();
            long end = clock.last.get();
            double streamCpu = (first.streamThreadCpuNanos() - first.streamThreadCpuAtFirst) / 1e9;
            double processCpu = (processCpuNanos() - first.processCpuAtFirst) / 1e9;
            if (verbose) {
                printCpuByThread(first.threadCpuAtFirst, threadCpuNanos(), processCpu);
                System.out.printf(
                        Locale.ROOT,
                        "  broker: first record processed %.1f s after start, first report after %.2f s more, last"
                                + " report %.2f s after the first record; %d snapshots skipped (late: their window"
                                + " had closed)%n",
                        (firstProcessed - started) / 1e9,
                        (clock.first.get() - firstProcessed) / 1e9,
                        (end - firstProcessed) / 1e9,
                        clock.skipped.get());
            }
            long heapEnd = heapAfterGc();
            // every report committed, read back as a consumer of the topic would
            int committed = Records.drain(
                            kafka.consumerProperties(applicationId + "-reports"),
                            new StringDeserializer(),
                            MonitorSerdes.driftReport().deserializer(),
                            List.of(topics.driftReports()),
                            expected,
                            Duration.ofMinutes(2))
                    .size();
            if (committed != expected) {
                throw new IllegalStateException("expected " + expected + " committed drift reports, read " + committed);
            }
            double seconds = (end - firstProcessed) / 1e9;
            return new BrokerRun(
                    (double) data.length * features / seconds,
                    seconds,
                    expected,
                    heapStart,
                    heapEnd,
                    streamCpu,
                    processCpu);
        }
    }

    private static void produce(
            KafkaSettings kafka,
            String view,
            String topic,
            int partitions,
            double[][] data,
            int features,
            int perWindow) {
        Map<String, Object> props = new HashMap<>(kafka.producerProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        Serializer<FeatureSnapshot> serializer =
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Callback onFailure = (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                }
            };
            for (int i = 0; i < data.length; i++) {
                FeatureSnapshot snapshot = snapshot(view, data, i, features, perWindow);
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                null,
                                snapshot.getEventTs(),
                                snapshot.getEntityKey().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(topic, snapshot)),
                        onFailure);
            }
            // One empty snapshot past the last window's grace on every partition: the view's watermark is the
            // smallest over its partitions, so each must pass the last window for it to close.
            long closer = closerTime(data.length, perWindow);
            for (int partition = 0; partition < partitions; partition++) {
                FeatureSnapshot snapshot = Snapshots.ofValues(view, "closer-" + partition, closer, Map.of());
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                partition,
                                closer,
                                snapshot.getEntityKey().getBytes(StandardCharsets.UTF_8),
                                serializer.serialize(topic, snapshot)),
                        onFailure);
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
        final AtomicLong skipped = new AtomicLong();
        private final int expected;

        ReportClock(int expected) {
            this.expected = expected;
        }

        @Override
        public void onSkipped(String reason, String scope) {
            skipped.incrementAndGet();
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
        private final String applicationId;
        private final AtomicLong at = new AtomicLong();
        private final Thread thread;
        private volatile boolean stopped;
        /** CPU time of the stream threads and of the whole process when the first record was processed. */
        volatile long streamThreadCpuAtFirst;

        volatile long processCpuAtFirst;

        volatile Map<String, Long> threadCpuAtFirst = Map.of();

        private FirstProcessed(KafkaStreams streams, String applicationId) {
            this.streams = streams;
            this.applicationId = applicationId;
            this.thread = new Thread(this, "bench-first-processed");
            thread.setDaemon(true);
        }

        static FirstProcessed watch(KafkaStreams streams, String applicationId) {
            FirstProcessed watcher = new FirstProcessed(streams, applicationId);
            watcher.thread.start();
            return watcher;
        }

        /** The CPU time the application's stream threads have used so far. */
        long streamThreadCpuNanos() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long nanos = 0;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith(applicationId) && t.getName().matches(".*-StreamThread-\\d+$")) {
                    nanos += Math.max(0, threads.getThreadCpuTime(t.getId()));
                }
            }
            return nanos;
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
                    streamThreadCpuAtFirst = streamThreadCpuNanos();
                    processCpuAtFirst = processCpuNanos();
                    threadCpuAtFirst = threadCpuNanos();
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

    /** CPU time used so far by each live thread, by name. */
    static Map<String, Long> threadCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            long nanos = threads.getThreadCpuTime(t.getId());
            if (nanos > 0) {
                cpu.merge(t.getName() + "#" + t.getId(), nanos, Long::sum);
            }
        }
        return cpu;
    }

    /**
     * Where the process's CPU went over the timed run: Java threads grouped by name (ids and numbers dropped), and
     * the rest (the JVM's own threads: GC, JIT).
     */
    static void printCpuByThread(Map<String, Long> before, Map<String, Long> after, double processCpuSeconds) {
        Map<String, Double> byGroup = new HashMap<>();
        double java = 0;
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double seconds = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
            String group = e.getKey()
                    .replaceAll("#\\d+$", "")
                    .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
                    .replaceAll("\\d+", "N");
            byGroup.merge(group, seconds, Double::sum);
            java += seconds;
        }
        System.out.printf(
                Locale.ROOT,
                "  broker: CPU seconds over the timed run, by thread (top 8 of %d groups):%n",
                byGroup.size());
        byGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> System.out.printf(Locale.ROOT, "    %6.2f  %s%n", e.getValue(), e.getKey()));
        System.out.printf(
                Locale.ROOT, "    %6.2f  not Java threads (GC, JIT compilers, ...)%n", processCpuSeconds - java);
    }

    /** The CPU time this process has used so far (every thread: the broker's too). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
                MonitorTopology.build(
                        definitions(features),
                        topics,
                        MonitorListener.NONE,
                        Map.of(VIEW, 1), // the driver reads one partition: the windows' own task reads it
                        WatermarkTracker.DEFAULT_IDLE_TIMEOUT,
                        Clock.systemUTC()),
                props)) {
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
