package io.fathom.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
import io.fathom.schemas.avro.BiasGroup;
import io.fathom.schemas.avro.BiasReportRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiasTopologyTest {
    private static final MonitorTopics TOPICS = MonitorTopics.defaults();
    private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> predictions;
    private TestInputTopic<String, String> labels;
    private TestOutputTopic<String, BiasReportRecord> reports;
    private TestOutputTopic<String, AlertEvent> alerts;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private int nextId;

    @BeforeEach
    void start() {
        BiasMonitor monitor = new BiasMonitor(
                "credit",
                "predictions",
                Optional.of("labels"),
                List.of("sex"),
                BiasRule.DEFAULT,
                Duration.ofHours(1),
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                4,
                1,
                1);
        driver = MonitorFixtures.driver("bias-test", stateDir, monitor);
        predictions = driver.createInputTopic("predictions", new StringSerializer(), new StringSerializer());
        labels = driver.createInputTopic("labels", new StringSerializer(), new StringSerializer());
        reports = driver.createOutputTopic(
                TOPICS.biasReports(),
                new StringDeserializer(),
                MonitorSerdes.biasReport().deserializer());
        alerts = MonitorFixtures.alerts(driver);
        deadLetters = MonitorFixtures.deadLetters(driver);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** {@code count} predictions of one group, with labels when {@code label} is 0 or 1 (-1: none). */
    private void cell(String sex, int prediction, int label, int count) {
        for (int i = 0; i < count; i++) {
            String id = "p" + nextId++;
            long ts = T0 + nextId * 1000L;
            predictions.pipeInput(new TestRecord<>(
                    id,
                    "{\"id\":\"" + id + "\",\"prediction\":" + prediction + ",\"sex\":\"" + sex + "\",\"event_time\":"
                            + ts + "}",
                    Instant.ofEpochMilli(ts)));
            if (label >= 0) {
                labels.pipeInput(new TestRecord<>(
                        id, "{\"id\":\"" + id + "\",\"label\":" + label + "}", Instant.ofEpochMilli(ts + 5 * MINUTE)));
            }
        }
    }

    @Test
    void aSmallLabelledSetGivesTheHandComputedMetricsAndADisparateImpactAlert() {
        // F: 10 predictions, 3 positive (TP 2, FP 1), 7 negative (FN 1, TN 6): selection 0.3, TPR 2/3, FPR 1/7
        cell("F", 1, 1, 2);
        cell("F", 1, 0, 1);
        cell("F", 0, 1, 1);
        cell("F", 0, 0, 6);
        // M: 10 predictions, 6 positive (TP 4, FP 2), 4 negative (FN 2, TN 2): selection 0.6, TPR 2/3, FPR 1/2
        cell("M", 1, 1, 4);
        cell("M", 1, 0, 2);
        cell("M", 0, 1, 2);
        cell("M", 0, 0, 2);
        // X: 2 predictions, under the minimum group size of 4: insufficient, left out
        cell("X", 1, -1, 2);
        // a label that arrives before its prediction still joins
        labels.pipeInput(new TestRecord<>("early", "{\"id\":\"early\",\"label\":1}", Instant.ofEpochMilli(T0)));
        predictions.pipeInput(new TestRecord<>(
                "early",
                "{\"id\":\"early\",\"score\":0.9,\"threshold\":0.5,\"sex\":\"M\",\"event_time\":" + (T0 + 1) + "}",
                Instant.ofEpochMilli(T0 + 1)));
        // M is now 11 predictions, 7 positive, TP 5: selection 7/11, TPR 5/7
        // window 0 closes at its end + grace + label delay
        long close = T0 + Duration.ofMinutes(60 + 1 + 30).toMillis();
        predictions.pipeInput(new TestRecord<>(
                "closer",
                "{\"id\":\"closer\",\"prediction\":0,\"sex\":\"F\",\"event_time\":" + close + "}",
                Instant.ofEpochMilli(close)));

        List<BiasReportRecord> all = reports.readValuesToList();
        assertThat(all).hasSize(1);
        BiasReportRecord report = all.get(0);
        assertThat(report.getAttribute()).isEqualTo("sex");
        double selectionM = 7.0 / 11;
        assertThat(report.getDemographicParityDifference()).isCloseTo(selectionM - 0.3, within(1e-12));
        assertThat(report.getDisparateImpactRatio()).isCloseTo(0.3 / selectionM, within(1e-12));
        assertThat(report.getEqualOpportunityDifference()).isCloseTo(5.0 / 7 - 2.0 / 3, within(1e-12));
        assertThat(report.getEqualizedOddsDifference()).isCloseTo(0.5 - 1.0 / 7, within(1e-12));
        assertThat(report.getDisparateImpactVerdict()).isEqualTo("DRIFT");
        Map<String, BiasGroup> groups =
                report.getGroups().stream().collect(Collectors.toMap(BiasGroup::getGroup, g -> g));
        assertThat(groups.get("X").getSufficient()).isFalse();
        assertThat(groups.get("F").getLabelled()).isEqualTo(10);
        assertThat(groups.get("M").getN()).isEqualTo(11);
        assertThat(groups.get("M").getLabelled()).isEqualTo(11);

        List<AlertEvent> events = alerts.readValuesToList();
        assertThat(events)
                .extracting(e -> e.getLabels().get("metric"))
                .containsExactlyInAnyOrder("disparate_impact_ratio", "demographic_parity_difference");
        AlertEvent impact = events.stream()
                .filter(e -> e.getLabels().get("metric").equals("disparate_impact_ratio"))
                .findFirst()
                .orElseThrow();
        assertThat(impact.getStatus()).isEqualTo(AlertStatus.firing);
        assertThat(impact.getLabels())
                .containsEntry("model", "credit")
                .containsEntry("attribute", "sex")
                .doesNotContainKey("group");
        assertThat(impact.getAnnotations()).containsEntry("least_favoured_group", "F");
        assertThat(impact.getFingerprint())
                .isEqualTo(
                        AlertKey.bias("credit", "sex", "disparate_impact_ratio").fingerprint());
        assertThat(impact.getThreshold()).isEqualTo(0.8);
    }

    /**
     * Unlabelled predictions of window {@code w} for one group, {@code positive} of {@code n} predicted positive, at
     * 35 to 36 minutes into the window: late enough to close window {@code w - 1} (its end + 1 min grace + 30 min
     * label delay).
     */
    private void window(int w, String sex, int positive, int n) {
        for (int i = 0; i < n; i++) {
            String id = "w" + w + "-" + nextId++;
            long ts = T0 + w * 60 * MINUTE + 35 * MINUTE + i * 1000L;
            int prediction = i < positive ? 1 : 0;
            predictions.pipeInput(new TestRecord<>(
                    id,
                    "{\"id\":\"" + id + "\",\"prediction\":" + prediction + ",\"sex\":\"" + sex + "\",\"event_time\":"
                            + ts + "}",
                    Instant.ofEpochMilli(ts)));
        }
    }

    /**
     * The demo's report: a bias alert fired with the least favoured group M and resolved in a window where F was
     * (barely) least favoured. The group is an annotation; the labels and the fingerprint of each resolved alert are
     * its firing's.
     */
    @Test
    void everyResolvedAlertCarriesTheLabelsAndFingerprintItFiredWith() {
        window(0, "M", 2, 10); // selection M 0.2, F 0.6: disparate impact 0.33, parity difference 0.4 -> fire
        window(0, "F", 6, 10);
        window(1, "M", 10, 20); // M 0.5, F 0.45: 0.9 and 0.05, both fine -> resolve; F least favoured now
        window(1, "F", 9, 20);
        window(2, "F", 2, 10); // F 0.2, M 0.6 -> fire again, F least favoured
        window(2, "M", 6, 10);
        window(3, "F", 10, 20); // F 0.5, M 0.45 -> resolve, M least favoured
        window(3, "M", 9, 20);
        window(4, "F", 0, 1); // closes window 3

        List<AlertEvent> events = alerts.readValuesToList();
        assertThat(events)
                .extracting(AlertEvent::getStatus)
                .containsExactly(
                        AlertStatus.firing, AlertStatus.firing,
                        AlertStatus.resolved, AlertStatus.resolved,
                        AlertStatus.firing, AlertStatus.firing,
                        AlertStatus.resolved, AlertStatus.resolved);
        MonitorFixtures.assertEveryResolvedCarriesItsFiring(events);
        assertThat(events)
                .extracting(AlertEvent::getFingerprint)
                .containsOnly(
                        AlertKey.bias("credit", "sex", "disparate_impact_ratio").fingerprint(),
                        AlertKey.bias("credit", "sex", "demographic_parity_difference")
                                .fingerprint());
        assertThat(events).allSatisfy(e -> assertThat(e.getLabels().keySet())
                .containsExactlyInAnyOrder("alertname", "kind", "model", "attribute", "metric"));
        assertThat(events)
                .extracting(e -> e.getAnnotations().get("least_favoured_group"))
                .containsExactly("M", "M", "F", "F", "F", "F", "M", "M");
    }

    @Test
    void malformedPredictionsAndLabelsGoToTheDeadLetterTopic() {
        predictions.pipeInput("a", "{not json", T0);
        predictions.pipeInput("b", "{\"prediction\":1,\"sex\":\"F\"}", T0);
        predictions.pipeInput("c", "{\"id\":\"c\",\"sex\":\"F\"}", T0);
        labels.pipeInput("d", "{\"label\":1}", T0);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead)
                .extracting(r -> new String(
                        r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
                .containsExactly("invalid_json", "missing_id", "missing_prediction", "missing_id");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    }
}
