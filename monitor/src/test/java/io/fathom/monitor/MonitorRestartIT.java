package io.fathom.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.Topics;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.Records;
import io.fathom.testkit.TestProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The open windows live in memory and reach their changelog only when the monitor commits: on a real broker
 * under exactly-once, a monitor stopped in the middle of a window and started again with an empty state
 * directory — so everything it knows comes from its changelogs (the windows' holding half of a window, which
 * got there only because the monitor wrote it when it committed) — reports every window exactly once, with every
 * snapshot counted once, and the same statistics as an uninterrupted run; the alert that was pending when it
 * stopped fires and resolves as in one run. With a snapshot topic of one partition (read by the windows' task)
 * and of two (re-keyed by view first).
 */
@ExtendWith(KafkaExtension.class)
class MonitorRestartIT {
    private static final int PER_WINDOW = 250;

    @TempDir
    Path stateDir;

    @TempDir
    Path referenceStateDir;

    @ParameterizedTest(name = "snapshot topic of {0} partition(s)")
    @ValueSource(ints = {1, 2})
    void aMonitorRestartedMidWindowFromItsChangelogsLosesAndRepeatsNothing(int partitions, KafkaBroker broker)
            throws Exception {
        String view = "restart_" + partitions;
        String prefix = "restart" + partitions + ".";
        MonitorTopics topics = new MonitorTopics(
                prefix + "baselines",
                prefix + "drift.reports",
                prefix + "bias.reports",
                prefix + "alerts",
                prefix + "dlq");
        String applicationId = "monitor-restart-it-" + partitions;
        KafkaSettings kafka = broker.kafka().toBuilder().partitions(partitions).build();
        FeatureDefinitions definitions = MonitorFixtures.definitions(view, MonitorFixtures.driftMonitor(view));
        String snapshotTopic = ViewDefinition.snapshotTopicOf(view);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Topics.create(admin, List.of(BaselinePublisher.topic(topics.baselines(), 1, (short) 1)));
        }
        try (BaselinePublisher publisher = new BaselinePublisher(kafka, topics.baselines())) {
            publisher.publish(MonitorFixtures.baseline(view));
        }

        // The drift scenario: amount drifts in windows 1-3. The monitor stops halfway through window 2, when
        // amount's alert is pending (window 1 breached) and window 2 holds half of its snapshots.
        Random random = new Random(5);
        List<FeatureSnapshot> snapshots = new ArrayList<>();
        for (int w = 0; w < MonitorFixtures.AMOUNT_SHIFTS.length; w++) {
            snapshots.addAll(MonitorFixtures.window(view, w, PER_WINDOW, MonitorFixtures.AMOUNT_SHIFTS[w], random));
        }
        // A closer on every partition: the view's watermark is the smallest over its snapshot topic's partitions.
        for (int p = 0; p < partitions; p++) {
            snapshots.add(MonitorFixtures.closer(view, MonitorFixtures.AMOUNT_SHIFTS.length));
        }
        int beforeStop = 2 * PER_WINDOW + PER_WINDOW / 2;

        MonitorConfig first = MonitorConfig.builder()
                .kafka(kafka)
                .stateDir(stateDir.resolve("first"))
                .applicationId(applicationId)
                .topics(topics)
                .build();
        try (StreamsApp monitor =
                MonitorService.start(definitions, first, Clock.systemUTC(), new SimpleMeterRegistry())) {
            produce(kafka, snapshotTopic, partitions, snapshots, 0, beforeStop);
            // Stop once the windows' changelog holds, committed, amount's window 2 with its first half: the
            // windows reach it only when the monitor commits.
            long window2 = MonitorFixtures.T0
                    .plus(MonitorFixtures.WINDOW.multipliedBy(2))
                    .toEpochMilli();
            awaitCommittedWindow(kafka, applicationId, view, window2, "amount", PER_WINDOW / 2);
        }

        MonitorConfig second =
                first.toBuilder().stateDir(stateDir.resolve("second")).build();
        try (StreamsApp monitor =
                MonitorService.start(definitions, second, Clock.systemUTC(), new SimpleMeterRegistry())) {
            produce(kafka, snapshotTopic, partitions, snapshots, beforeStop, snapshots.size());
            int expected = 3 * MonitorFixtures.AMOUNT_SHIFTS.length;
            List<ConsumerRecord<String, DriftReport>> reports = Records.drain(
                    kafka.consumerProperties(applicationId + "-reports"),
                    new StringDeserializer(),
                    MonitorSerdes.driftReport().deserializer(),
                    List.of(topics.driftReports()),
                    expected,
                    Duration.ofSeconds(90));
            List<ConsumerRecord<String, AlertEvent>> alerts = Records.drainUntilIdle(
                    kafka.consumerProperties(applicationId + "-alerts"),
                    new StringDeserializer(),
                    MonitorSerdes.alertEvent().deserializer(),
                    List.of(topics.alerts()),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(30));

            assertThat(reports).hasSize(expected);
            assertThat(reports).allSatisfy(r -> assertThat(r.value().getN()).isEqualTo(PER_WINDOW));
            MonitorFixtures.assertDriftScenarioVerdicts(
                    view,
                    reports.stream().map(r -> Map.entry(r.key(), r.value())).toList());
            Map<String, DriftReport> byWindow = reports.stream()
                    .map(ConsumerRecord::value)
                    .collect(Collectors.toMap(MonitorRestartIT::window, Function.identity(), (a, b) -> {
                        throw new AssertionError("window reported twice: " + window(a));
                    }));
            Map<String, DriftReport> uninterrupted = uninterrupted(definitions, view, snapshots);
            assertThat(byWindow.keySet()).isEqualTo(uninterrupted.keySet());
            byWindow.forEach((window, report) -> {
                DriftReport reference = uninterrupted.get(window);
                assertThat(binned(report)).as(window).isEqualTo(binned(reference));
            });

            String fingerprint = AlertKey.drift(view, "amount", DriftMethod.PSI).fingerprint();
            assertThat(alerts).extracting(ConsumerRecord::key).containsExactly(fingerprint, fingerprint);
            assertThat(alerts)
                    .extracting(r -> r.value().getStatus())
                    .containsExactly(AlertStatus.firing, AlertStatus.resolved);
        }
    }

    /**
     * Waits until the committed changelog of the windows holds {@code feature}'s window starting at {@code start}
     * with {@code n} values (entries: key {@code view␀start␀feature}, value the baseline id then the window).
     */
    private static void awaitCommittedWindow(
            KafkaSettings kafka, String applicationId, String view, long start, String feature, long n) {
        String changelog = applicationId + "-drift-windows-changelog";
        String key = view + '\u0000' + String.format("%019d", start) + '\u0000' + feature;
        Baseline.Feature reference =
                MonitorFixtures.baseline(view).feature(feature).orElseThrow();
        Map<String, Object> props = kafka.consumerProperties(applicationId + "-changelog-reader");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> consumer.listTopics().containsKey(changelog));
            List<TopicPartition> partitions = consumer.partitionsFor(changelog).stream()
                    .map(p -> new TopicPartition(changelog, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long[] latest = {-1};
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key().equals(key) && r.value() != null) {
                        byte[] window = Arrays.copyOfRange(r.value(), Long.BYTES, r.value().length);
                        latest[0] = LiveWindow.fromBytes(reference, window).n();
                    }
                }
                return latest[0] == n;
            });
        }
    }

    /**
     * All snapshots sent with one key, so that they stay in event-time order on a topic of several partitions (the
     * monitor ignores the key).
     */
    /** Snapshots {@code from} to {@code to}, the i-th to partition {@code i % partitions}: each in time order. */
    private static void produce(
            KafkaSettings kafka, String topic, int partitions, List<FeatureSnapshot> snapshots, int from, int to) {
        try (TestProducer<String, FeatureSnapshot> producer = TestProducer.create(
                kafka.producerProperties(),
                new StringSerializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer())) {
            producer.send(IntStream.range(from, to)
                    .mapToObj(i -> new ProducerRecord<>(
                            topic, i % partitions, snapshots.get(i).getEventTs(), "all", snapshots.get(i)))
                    .toList());
        }
    }

    /** The same snapshots through the topology under TopologyTestDriver, in one run: the reports by window. */
    private Map<String, DriftReport> uninterrupted(
            FeatureDefinitions definitions, String view, List<FeatureSnapshot> snapshots) {
        try (TopologyTestDriver driver =
                MonitorFixtures.driver("restart-reference", referenceStateDir, definitions, Map.of(view, 1))) {
            MonitorTopics defaults = MonitorTopics.defaults();
            driver.createInputTopic(defaults.baselines(), new StringSerializer(), new StringSerializer())
                    .pipeInput(view, MonitorFixtures.baseline(view).toJson(), MonitorFixtures.T0.toEpochMilli());
            MonitorFixtures.pipeSnapshots(driver, view, snapshots);
            Map<String, DriftReport> reports = new TreeMap<>();
            MonitorFixtures.driftReports(driver).readValuesToList().forEach(r -> reports.put(window(r), r));
            return reports;
        }
    }

    private static String window(DriftReport report) {
        return report.getFeature() + "@" + report.getWindowStart();
    }

    /**
     * What a report computes from the window's counts, exactly reproducible: n, nulls, the verdict, the histogram
     * statistics and both histograms (KS and Wasserstein come from KLL sketches, whose compaction is randomized).
     */
    private static List<Object> binned(DriftReport r) {
        return List.of(
                r.getN(),
                r.getNulls(),
                r.getVerdict(),
                String.valueOf(r.getPsi()),
                String.valueOf(r.getKl()),
                String.valueOf(r.getJs()),
                String.valueOf(r.getChi2()),
                String.valueOf(r.getChi2P()),
                r.getHistogram().getCurrentCounts(),
                r.getHistogram().getReferenceCounts());
    }
}
