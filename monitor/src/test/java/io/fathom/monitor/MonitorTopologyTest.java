package io.fathom.monitor;

import static io.fathom.monitor.MonitorFixtures.AMOUNT_SHIFTS;
import static io.fathom.monitor.MonitorFixtures.T0;
import static io.fathom.monitor.MonitorFixtures.VIEW;
import static io.fathom.monitor.MonitorFixtures.WINDOW;
import static io.fathom.monitor.MonitorFixtures.window;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.LiveWindow;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
import io.fathom.schemas.avro.DriftVerdict;
import io.fathom.schemas.avro.FeatureSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift topology under TopologyTestDriver, with snapshots re-keyed by view (a snapshot topic of any partition
 * count); {@link DirectMonitorTopologyTest} runs the same tests without the repartition.
 */
class MonitorTopologyTest {
    private static final MonitorTopics TOPICS = MonitorTopics.defaults();

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> baselines;
    private TestInputTopic<String, FeatureSnapshot> snapshots;
    private TestInputTopic<byte[], byte[]> rawSnapshots;
    private TestOutputTopic<String, io.fathom.schemas.avro.DriftReport> reports;
    private TestOutputTopic<String, AlertEvent> alerts;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final Random random = new Random(11);

    @BeforeEach
    void start() {
        driver = MonitorFixtures.driver("monitor-test", stateDir, snapshotPartitions(), MonitorFixtures.driftMonitor());
        baselines = driver.createInputTopic(TOPICS.baselines(), new StringSerializer(), new StringSerializer());
        String topic = "fathom.snapshots." + VIEW;
        snapshots = driver.createInputTopic(
                topic,
                new StringSerializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer());
        rawSnapshots = driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer());
        reports = MonitorFixtures.driftReports(driver);
        alerts = MonitorFixtures.alerts(driver);
        deadLetters = MonitorFixtures.deadLetters(driver);
        baselines.pipeInput(VIEW, MonitorFixtures.baseline().toJson(), T0.toEpochMilli());
    }

    /** The partition count of the view's snapshot topic the topology is built for; unknown here. */
    Map<String, Integer> snapshotPartitions() {
        return Map.of();
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void pipe(List<FeatureSnapshot> batch) {
        for (FeatureSnapshot s : batch) {
            snapshots.pipeInput(new TestRecord<>(s.getEntityKey(), s, java.time.Instant.ofEpochMilli(s.getEventTs())));
        }
    }

    /** A single snapshot far enough ahead to close every window before {@code index}. */
    private void closeBefore(int index) {
        pipe(List.of(MonitorFixtures.closer(index)));
    }

    @Test
    void windowsFromTheBaselinesDistributionAreOkAndRaiseNoAlert() {
        for (int w = 0; w < 3; w++) {
            pipe(window(w, 300, 0, random));
        }
        closeBefore(3);

        List<io.fathom.schemas.avro.DriftReport> all = reports.readValuesToList();
        assertThat(all).hasSize(9);
        assertThat(all).allSatisfy(r -> {
            assertThat(r.getVerdict()).isEqualTo(DriftVerdict.OK);
            assertThat(r.getN()).isEqualTo(300);
            assertThat(r.getPsi()).isNotNull();
            assertThat(r.getWindowEnd() - r.getWindowStart()).isEqualTo(WINDOW.toMillis());
        });
        assertThat(all.stream().filter(r -> r.getFeature().equals("country")))
                .allSatisfy(r -> assertThat(r.getKsD()).isNull());
        // each report carries both sides on the baseline's bins: the window's counts add up to its n
        Baseline baseline = MonitorFixtures.baseline();
        assertThat(all).allSatisfy(r -> {
            var histogram = r.getHistogram();
            Baseline.Feature reference = baseline.feature(r.getFeature()).orElseThrow();
            assertThat(histogram.getNumeric()).isEqualTo(reference instanceof Baseline.Numeric);
            assertThat(histogram.getReferenceCounts())
                    .containsExactlyElementsOf(java.util.Arrays.stream(reference.binCounts())
                            .boxed()
                            .toList());
            assertThat(histogram.getCurrentCounts()).hasSameSizeAs(histogram.getReferenceCounts());
            assertThat(histogram.getCurrentCounts().stream()
                            .mapToLong(Long::longValue)
                            .sum())
                    .isEqualTo(r.getN());
            if (reference instanceof Baseline.Numeric numeric) {
                assertThat(histogram.getInnerEdges()).hasSize(numeric.edges().innerEdges().length);
                assertThat(histogram.getCategories()).isEmpty();
            } else {
                assertThat(histogram.getCategories()).last().isEqualTo(Baseline.OTHER);
                assertThat(histogram.getInnerEdges()).isEmpty();
            }
        });
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void aDriftLastingForWindowsFiresOnceAndResolvesAfterRecovery() {
        // OK, PENDING, FIRING, still firing (no new alert), one clean window, resolved
        for (int w = 0; w < AMOUNT_SHIFTS.length; w++) {
            pipe(window(w, 300, AMOUNT_SHIFTS[w], random));
        }
        closeBefore(6);

        List<TestRecord<String, io.fathom.schemas.avro.DriftReport>> all = reports.readRecordsToList();
        assertThat(all).hasSize(18);
        MonitorFixtures.assertDriftScenarioVerdicts(
                all.stream().map(r -> Map.entry(r.key(), r.value())).toList());

        List<TestRecord<String, AlertEvent>> events = alerts.readRecordsToList();
        assertThat(events).hasSize(2);
        AlertEvent firing = events.get(0).value();
        AlertEvent resolved = events.get(1).value();
        String fingerprint = AlertKey.drift(VIEW, "amount", DriftMethod.PSI).fingerprint();
        assertThat(events).allSatisfy(e -> assertThat(e.key()).isEqualTo(fingerprint));
        assertThat(firing.getStatus()).isEqualTo(AlertStatus.firing);
        assertThat(firing.getFingerprint()).isEqualTo(fingerprint);
        assertThat(firing.getLabels())
                .containsEntry("view", VIEW)
                .containsEntry("feature", "amount")
                .containsEntry("method", "psi");
        assertThat(firing.getStartsAt())
                .isEqualTo(T0.plus(WINDOW.multipliedBy(2)).toEpochMilli());
        assertThat(firing.getEndsAt()).isNull();
        assertThat(firing.getThreshold()).isEqualTo(0.2);
        assertThat(firing.getValue()).isGreaterThan(0.2);
        assertThat(resolved.getStatus()).isEqualTo(AlertStatus.resolved);
        assertThat(resolved.getFingerprint()).isEqualTo(fingerprint);
        assertThat(resolved.getStartsAt()).isEqualTo(firing.getStartsAt());
        assertThat(resolved.getEndsAt())
                .isEqualTo(T0.plus(WINDOW.multipliedBy(6)).toEpochMilli());
        MonitorFixtures.assertEveryResolvedCarriesItsFiring(
                events.stream().map(TestRecord::value).toList());
    }

    @Test
    void windowsUnderMinSamplesAreInsufficientAndNeverDrift() {
        pipe(window(0, 50, 40, random));
        pipe(window(1, 50, 40, random));
        pipe(window(2, 50, 40, random));
        closeBefore(3);

        List<io.fathom.schemas.avro.DriftReport> all = reports.readValuesToList();
        assertThat(all).hasSize(9).allSatisfy(r -> {
            assertThat(r.getVerdict()).isEqualTo(DriftVerdict.INSUFFICIENT);
            assertThat(r.getScore()).isNull();
            assertThat(r.getPsi()).isNull();
            assertThat(r.getN()).isEqualTo(50);
        });
        assertThat(alerts.isEmpty()).isTrue();
    }

    @Test
    void aSnapshotWithinGraceCountsAndALateOneDoesNot() {
        pipe(window(0, 300, 0, random));
        long end = T0.plus(WINDOW).toEpochMilli();
        pipe(List.of(MonitorFixtures.snapshot("x", end + 60_000, Map.of()))); // opens window 1, within grace
        pipe(List.of(MonitorFixtures.snapshot("late1", end - 1, Map.of("amount", 100.0)))); // within grace: counted
        pipe(List.of(MonitorFixtures.snapshot("x", end + 6 * 60_000, Map.of()))); // closes window 0
        pipe(List.of(MonitorFixtures.snapshot("late2", end - 1, Map.of("amount", 100.0)))); // too late

        List<io.fathom.schemas.avro.DriftReport> all = reports.readValuesToList();
        assertThat(all).hasSize(3);
        assertThat(all.stream()
                        .filter(r -> r.getFeature().equals("amount"))
                        .findFirst()
                        .orElseThrow()
                        .getN())
                .isEqualTo(301);
    }

    /**
     * Values reach the windows as {@code LiveWindow.add(Object)} takes them: a long in a numeric window is its
     * double, a boolean there is a value of the wrong type (counted as a null), a number in a categorical window is
     * its text (here not a category: other), and a feature the snapshot lacks is a null.
     */
    @Test
    void valuesOfEveryTypeCountAsALiveWindowTakesThem() {
        Baseline baseline = MonitorFixtures.baseline();
        LiveWindow amount = LiveWindow.of(baseline.feature("amount").orElseThrow());
        List<FeatureSnapshot> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long ts = T0.toEpochMilli() + i * 10_000L;
            Map<String, Object> values = new java.util.HashMap<>();
            values.put("amount", 80L + i % 40);
            values.put("latency", true);
            values.put("country", (long) i);
            amount.add((Object) (80L + i % 40));
            batch.add(MonitorFixtures.snapshot("u" + i, ts, values));
        }
        batch.add(MonitorFixtures.snapshot("no-values", T0.toEpochMilli() + 3_000_000L, Map.of()));
        pipe(batch);
        closeBefore(1);

        Map<String, io.fathom.schemas.avro.DriftReport> byFeature = new java.util.HashMap<>();
        reports.readValuesToList().forEach(r -> byFeature.put(r.getFeature(), r));
        assertThat(byFeature.get("amount").getN()).isEqualTo(300);
        assertThat(byFeature.get("amount").getNulls()).isEqualTo(1);
        assertThat(byFeature.get("amount").getHistogram().getCurrentCounts())
                .containsExactlyElementsOf(
                        java.util.Arrays.stream(amount.binCounts()).boxed().toList());
        assertThat(byFeature.get("latency").getN()).isZero();
        assertThat(byFeature.get("latency").getNulls()).isEqualTo(301);
        assertThat(byFeature.get("latency").getVerdict()).isEqualTo(DriftVerdict.INSUFFICIENT);
        assertThat(byFeature.get("country").getN()).isEqualTo(300);
        assertThat(byFeature.get("country").getHistogram().getCurrentCounts()).containsExactly(0L, 0L, 0L, 0L, 300L);
    }

    @Test
    void undecodableSnapshotsGoToTheDeadLetterTopicWithAReason() {
        rawSnapshots.pipeInput("k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(new String(
                        dead.get(0)
                                .headers()
                                .lastHeader(DeadLetterHeaders.REASON)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo("undecodable");
        assertThat(dead.get(0).value()).containsExactly(1, 2, 3);
        assertThat(reports.isEmpty()).isTrue();
    }

    @Test
    void noReportBeforeABaselineIsPublished() {
        baselines.pipeInput(VIEW, null, T0.toEpochMilli());
        List<FeatureSnapshot> batch = new ArrayList<>(window(0, 300, 0, random));
        pipe(batch);
        closeBefore(1);
        assertThat(reports.isEmpty()).isTrue();
    }
}
