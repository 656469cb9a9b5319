package io.fathom.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.core.WatermarkTracker;
import io.fathom.kafka.AvroSerdes;
import io.fathom.monitor.drift.Baseline;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.DriftVerdict;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.MutableClock;
import io.fathom.testkit.Snapshots;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A view with two numeric features and a categorical one, its drift monitor and baseline. */
final class MonitorFixtures {
    static final String VIEW = "user_txn";
    static final Instant T0 = Instant.parse("2026-10-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofHours(1);
    static final long MIN_SAMPLES = 200;
    static final String[] COUNTRIES = {"FR", "DE", "NL", "US"};

    private MonitorFixtures() {}

    static FeatureDefinitions definitions(MonitorDefinition... monitors) {
        return definitions(VIEW, monitors);
    }

    /** As {@link #definitions(MonitorDefinition...)}, the view named {@code view}. */
    static FeatureDefinitions definitions(String view, MonitorDefinition... monitors) {
        return Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("transactions", "transactions", "ts")
                .view(Definitions.view(view)
                        .feature("amount", Aggregation.SUM, "amount", WINDOW)
                        .feature("latency", Aggregation.MEAN, "latency", WINDOW)
                        .last("country", "country"))
                .monitors(monitors)
                .build();
    }

    /**
     * Clocks for the monitor under {@code TopologyTestDriver}, which reads every topic from its partition 0 alone: the
     * other partitions of a snapshot topic never send, and with a clock an hour later at each read they count as
     * idle at once (the idle timeout, a minute, passes between any two reads), as they would after a minute of real
     * time; partition 0, seen at the read that judges it, never is. So a view's watermark there is the greatest
     * event time seen, whatever partition count the topology was built for.
     */
    static final Supplier<Clock> ONE_PARTITION_CLOCK =
            () -> MutableClock.steppingOnRead(Instant.parse("2026-01-01T00:00:00Z"), Duration.ofHours(1));

    /**
     * The monitor topology over {@link #definitions} with these monitors and the default topics, under a
     * {@link TopologyTestDriver} that keeps its state in {@code stateDir}.
     */
    static TopologyTestDriver driver(String applicationId, Path stateDir, MonitorDefinition... monitors) {
        return driver(applicationId, stateDir, Map.of(), monitors);
    }

    /**
     * As {@link #driver(String, Path, MonitorDefinition...)}, for snapshot topics of these partition counts (view
     * → partitions; one partition: no repartition by view).
     */
    static TopologyTestDriver driver(
            String applicationId,
            Path stateDir,
            Map<String, Integer> snapshotPartitions,
            MonitorDefinition... monitors) {
        return driver(applicationId, stateDir, definitions(monitors), snapshotPartitions);
    }

    /**
     * The monitor topology over {@code definitions} and the default topics, under a TopologyTestDriver; the driver
     * reads partition 0 of every topic only, and a {@link #ONE_PARTITION_CLOCK} makes any other partition idle at once.
     */
    static TopologyTestDriver driver(
            String applicationId,
            Path stateDir,
            FeatureDefinitions definitions,
            Map<String, Integer> snapshotPartitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(
                MonitorTopology.build(
                        definitions,
                        MonitorTopics.defaults(),
                        MonitorListener.NONE,
                        snapshotPartitions,
                        WatermarkTracker.DEFAULT_IDLE_TIMEOUT,
                        ONE_PARTITION_CLOCK.get()),
                props);
    }

    /** The alerts a driver from {@link #driver} emits. */
    static TestOutputTopic<String, AlertEvent> alerts(TopologyTestDriver driver) {
        return driver.createOutputTopic(
                MonitorTopics.defaults().alerts(),
                new StringDeserializer(),
                MonitorSerdes.alertEvent().deserializer());
    }

    /** The drift reports a driver from {@link #driver} emits. */
    static TestOutputTopic<String, DriftReport> driftReports(TopologyTestDriver driver) {
        return driver.createOutputTopic(
                MonitorTopics.defaults().driftReports(),
                new StringDeserializer(),
                MonitorSerdes.driftReport().deserializer());
    }

    /** Pipes snapshots into their view's snapshot topic of a driver from {@link #driver}, each at its event time. */
    static void pipeSnapshots(TopologyTestDriver driver, String view, List<FeatureSnapshot> snapshots) {
        TestInputTopic<String, FeatureSnapshot> input = driver.createInputTopic(
                ViewDefinition.snapshotTopicOf(view),
                new StringSerializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer());
        for (FeatureSnapshot s : snapshots) {
            input.pipeInput(new TestRecord<>(s.getEntityKey(), s, Instant.ofEpochMilli(s.getEventTs())));
        }
    }

    /** What a driver from {@link #driver} dead-letters. */
    static TestOutputTopic<byte[], byte[]> deadLetters(TopologyTestDriver driver) {
        return driver.createOutputTopic(
                MonitorTopics.defaults().deadLetters(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** PSI above 0.2 on every feature; two breaches fire, two clean windows resolve. */
    static DriftMonitor driftMonitor() {
        return driftMonitor(VIEW);
    }

    static DriftMonitor driftMonitor(String view) {
        return new DriftMonitor(
                view, WINDOW, MIN_SAMPLES, new DriftRule("psi", 0.2), Map.of(), Duration.ofMinutes(5), 2, 2);
    }

    static Baseline baseline() {
        return baseline(VIEW);
    }

    static Baseline baseline(String view) {
        Random random = new Random(7);
        double[] amounts = new double[5000];
        double[] latencies = new double[5000];
        List<String> countries = new ArrayList<>();
        for (int i = 0; i < amounts.length; i++) {
            amounts[i] = 100 + 10 * random.nextGaussian();
            latencies[i] = 50 + 5 * random.nextGaussian();
            countries.add(COUNTRIES[random.nextInt(COUNTRIES.length)]);
        }
        return Baseline.builder(view, "test", Clock.fixed(T0, ZoneOffset.UTC))
                .numeric("amount", amounts)
                .numeric("latency", latencies)
                .categorical("country", countries)
                .build();
    }

    /**
     * {@code count} snapshots spread over window {@code index} (from T0), amount's mean moved by
     * {@code amountShift} (0: drawn from the baseline's distribution); latency and country never move.
     */
    static List<FeatureSnapshot> window(int index, int count, double amountShift, Random random) {
        return window(VIEW, index, count, amountShift, random);
    }

    static List<FeatureSnapshot> window(String view, int index, int count, double amountShift, Random random) {
        List<FeatureSnapshot> snapshots = new ArrayList<>();
        long start = T0.toEpochMilli() + index * WINDOW.toMillis();
        for (int i = 0; i < count; i++) {
            long ts = start + (WINDOW.toMillis() - 1) * i / Math.max(1, count);
            Map<String, Object> values = new HashMap<>();
            values.put("amount", 100 + amountShift + 10 * random.nextGaussian());
            values.put("latency", 50 + 5 * random.nextGaussian());
            values.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
            snapshots.add(Snapshots.ofValues(view, "u" + random.nextInt(1000), ts, values));
        }
        return snapshots;
    }

    /**
     * The drift scenario, window by window from T0: amount's mean moved by 1.5 standard deviations in
     * windows 1 to 3 and back in 4 and 5 (OK, PENDING, FIRING, still firing, one clean window, resolved).
     */
    static final double[] AMOUNT_SHIFTS = {0, 15, 15, 15, 0, 0};

    /**
     * Asserts the drift scenario's reports ({@link #AMOUNT_SHIFTS}), given as (key, report) in the order
     * they were emitted: amount's verdicts are OK, DRIFT in the three shifted windows, OK after; every other
     * feature's are OK.
     */
    static void assertDriftScenarioVerdicts(List<Map.Entry<String, DriftReport>> reports) {
        assertDriftScenarioVerdicts(VIEW, reports);
    }

    static void assertDriftScenarioVerdicts(String view, List<Map.Entry<String, DriftReport>> reports) {
        String amount = view + "/amount";
        assertThat(reports.stream().filter(r -> r.getKey().equals(amount)).map(r -> r.getValue()
                        .getVerdict()))
                .containsExactly(
                        DriftVerdict.OK,
                        DriftVerdict.DRIFT,
                        DriftVerdict.DRIFT,
                        DriftVerdict.DRIFT,
                        DriftVerdict.OK,
                        DriftVerdict.OK);
        assertThat(reports.stream().filter(r -> !r.getKey().equals(amount)))
                .allSatisfy(r -> assertThat(r.getValue().getVerdict()).isEqualTo(DriftVerdict.OK));
    }

    /** A snapshot 10 minutes into window {@code index}: past the grace, it closes every window before. */
    static FeatureSnapshot closer(int index) {
        return closer(VIEW, index);
    }

    static FeatureSnapshot closer(String view, int index) {
        long ts = T0.plus(WINDOW.multipliedBy(index)).toEpochMilli()
                + Duration.ofMinutes(10).toMillis();
        return Snapshots.ofValues(view, "closer", ts, Map.of());
    }

    static FeatureSnapshot snapshot(String entity, long ts, Map<String, Object> values) {
        return Snapshots.ofValues(VIEW, entity, ts, values);
    }

    /**
     * Receivers identify an alert by its label set (Alertmanager) or its fingerprint: every resolved alert must carry
     * exactly the labels and fingerprint of the firing it resolves (the last firing of its fingerprint before it), and
     * each resolves an alert that fired.
     */
    static void assertEveryResolvedCarriesItsFiring(List<AlertEvent> events) {
        Map<String, AlertEvent> firing = new HashMap<>();
        int resolved = 0;
        for (AlertEvent event : events) {
            if (event.getStatus() == io.fathom.schemas.avro.AlertStatus.firing) {
                firing.put(event.getFingerprint(), event);
                continue;
            }
            resolved++;
            AlertEvent fired = firing.remove(event.getFingerprint());
            assertThat(fired).as("the firing that %s resolves", event).isNotNull();
            assertThat(event.getLabels()).as("labels of %s", event).isEqualTo(fired.getLabels());
            assertThat(event.getFingerprint()).isEqualTo(fired.getFingerprint());
            assertThat(event.getStartsAt()).isEqualTo(fired.getStartsAt());
        }
        assertThat(resolved).as("resolved alerts").isPositive();
    }
}
