package io.fathom.monitor.bias;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BiasMetricsTest {
    static final double EPS = 1e-12;

    /**
     * A small labelled set: each line is "group predicted label count", i.e. count predictions of the
     * group with that prediction (1 = positive) and that true label.
     */
    static final String LABELLED =
            """
            A 1 1 40
            A 1 0 10
            A 0 1 10
            A 0 0 40
            B 1 1 18
            B 1 0 6
            B 0 1 22
            B 0 0 54
            C 1 1 3
            C 1 0 3
            C 0 0 4
            """;

    static Map<String, GroupCounts> count(String rows) {
        Map<String, GroupCounts> groups = new LinkedHashMap<>();
        for (String line : rows.strip().split("\n")) {
            String[] f = line.trim().split(" +");
            boolean predicted = f[1].equals("1");
            boolean label = f[2].equals("1");
            long n = Long.parseLong(f[3]);
            GroupCounts cell = GroupCounts.labelled(
                    predicted && label ? n : 0,
                    predicted && !label ? n : 0,
                    !predicted && label ? n : 0,
                    !predicted && !label ? n : 0);
            groups.merge(f[0], cell, GroupCounts::plus);
        }
        return groups;
    }

    @Test
    void metricsOfTheLabelledSet() {
        BiasReport report = BiasMetrics.compute("group", count(LABELLED), 50);
        // A: n = 100, predicted positive 50 -> selection 0.5; TPR = 40/(40+10) = 0.8; FPR = 10/(10+40) = 0.2
        // B: n = 100, predicted positive 24 -> selection 0.24; TPR = 18/(18+22) = 0.45; FPR = 6/(6+54) = 0.1
        // C: n = 10 < 50 -> insufficient, left out (its selection rate 0.6 would otherwise be the highest)
        BiasReport.GroupMetrics a = report.groups().get(0);
        BiasReport.GroupMetrics b = report.groups().get(1);
        BiasReport.GroupMetrics c = report.groups().get(2);
        assertThat(a.group()).isEqualTo("A");
        assertThat(a.selectionRate()).isEqualTo(0.5);
        assertThat(a.truePositiveRate()).isCloseTo(0.8, within(EPS));
        assertThat(a.falsePositiveRate()).isCloseTo(0.2, within(EPS));
        assertThat(b.selectionRate()).isCloseTo(0.24, within(EPS));
        assertThat(b.truePositiveRate()).isCloseTo(0.45, within(EPS));
        assertThat(b.falsePositiveRate()).isCloseTo(0.1, within(EPS));
        assertThat(c.sufficient()).isFalse();
        assertThat(c.labelsSufficient()).isFalse();
        assertThat(c.selectionRate()).isCloseTo(0.6, within(EPS));
        assertThat(c.disparateImpact()).isNaN();
        assertThat(report.sufficientGroups()).isEqualTo(2);

        // Reference: the most-selected sufficient group, A. Disparate impact of B = 0.24 / 0.5 = 0.48.
        assertThat(report.referenceGroup()).contains("A");
        assertThat(a.disparateImpact()).isEqualTo(1);
        assertThat(b.disparateImpact()).isCloseTo(0.48, within(EPS));
        // Demographic parity difference 0.5 - 0.24 = 0.26; ratio 0.24 / 0.5 = 0.48 (= disparate impact ratio).
        assertThat(report.demographicParityDifference()).isCloseTo(0.26, within(EPS));
        assertThat(report.demographicParityRatio()).isCloseTo(0.48, within(EPS));
        assertThat(report.disparateImpactRatio()).isCloseTo(0.48, within(EPS));
        // Equal opportunity difference 0.8 - 0.45 = 0.35; FPR difference 0.2 - 0.1 = 0.1;
        // equalized odds difference max(0.35, 0.1) = 0.35.
        assertThat(report.equalOpportunityDifference()).isCloseTo(0.35, within(EPS));
        assertThat(report.equalizedOddsDifference()).isCloseTo(0.35, within(EPS));

        // Default rule: disparate impact 0.48 < 0.8 and parity difference 0.26 > 0.1 both breach.
        assertThat(report.verdicts(BiasRule.DEFAULT))
                .containsEntry(BiasMetric.DISPARATE_IMPACT_RATIO, Verdict.DRIFT)
                .containsEntry(BiasMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, Verdict.DRIFT);
        assertThat(report.verdict(BiasMetric.DISPARATE_IMPACT_RATIO, 0.4)).isEqualTo(Verdict.OK);
        assertThat(report.verdict(BiasMetric.EQUALIZED_ODDS_DIFFERENCE, 0.4)).isEqualTo(Verdict.OK);
    }

    @Test
    void withASmallerMinimumTheThirdGroupCounts() {
        BiasReport report = BiasMetrics.compute("group", count(LABELLED), 10);
        // C: selection 6/10 = 0.6 is now the reference; TPR = 3/3 = 1; FPR = 3/(3+4) = 3/7.
        assertThat(report.referenceGroup()).contains("C");
        assertThat(report.demographicParityDifference()).isCloseTo(0.6 - 0.24, within(EPS));
        assertThat(report.disparateImpactRatio()).isCloseTo(0.24 / 0.6, within(EPS));
        assertThat(report.equalOpportunityDifference()).isCloseTo(1 - 0.45, within(EPS));
        assertThat(report.equalizedOddsDifference()).isCloseTo(Math.max(1 - 0.45, 3.0 / 7 - 0.1), within(EPS));
    }

    @Test
    void withoutLabelsOnlySelectionMetricsAreDefined() {
        Map<String, GroupCounts> groups = Map.of(
                "f", GroupCounts.predictions(200, 50), // 0.25
                "m", GroupCounts.predictions(300, 90)); // 0.30
        BiasReport report = BiasMetrics.compute("gender", groups, 100);
        assertThat(report.demographicParityDifference()).isCloseTo(0.05, within(EPS));
        assertThat(report.disparateImpactRatio()).isCloseTo(0.25 / 0.30, within(EPS));
        assertThat(report.equalOpportunityDifference()).isNaN();
        assertThat(report.equalizedOddsDifference()).isNaN();
        assertThat(report.verdict(BiasMetric.EQUAL_OPPORTUNITY_DIFFERENCE, 0.1)).isEqualTo(Verdict.INSUFFICIENT);
        assertThat(report.verdicts(BiasRule.DEFAULT))
                .containsOnly(
                        Map.entry(BiasMetric.DISPARATE_IMPACT_RATIO, Verdict.OK),
                        Map.entry(BiasMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, Verdict.OK));
    }

    @Test
    void fewerThanTwoSufficientGroupsIsInsufficient() {
        BiasReport report = BiasMetrics.compute(
                "age_band",
                Map.of("18-25", GroupCounts.predictions(500, 10), "65+", GroupCounts.predictions(20, 20)),
                100);
        assertThat(report.demographicParityDifference()).isNaN();
        assertThat(report.disparateImpactRatio()).isNaN();
        assertThat(report.referenceGroup()).isEmpty();
        assertThat(report.verdicts(BiasRule.DEFAULT)).containsValues(Verdict.INSUFFICIENT, Verdict.INSUFFICIENT);
    }

    @Test
    void nobodySelectedAnywhereIsParity() {
        BiasReport report = BiasMetrics.compute(
                "g", Map.of("x", GroupCounts.predictions(100, 0), "y", GroupCounts.predictions(100, 0)), 10);
        assertThat(report.demographicParityDifference()).isZero();
        assertThat(report.disparateImpactRatio()).isEqualTo(1);
    }

    @Test
    void countsAreChecked() {
        assertThatThrownBy(() -> new GroupCounts(10, 11, 0, 0, 0, 0)).hasMessage("predictedPositive 11 exceeds n 10");
        assertThatThrownBy(() -> new GroupCounts(10, 2, 2, 1, 0, 0))
                .hasMessage("TP + FP = 3 exceeds predictedPositive 2");
        assertThatThrownBy(() -> new GroupCounts(10, 2, 0, 0, 5, 4))
                .hasMessage("FN + TN = 9 exceeds the predicted negatives 8");
        assertThatThrownBy(() -> new GroupCounts(-1, 0, 0, 0, 0, 0)).hasMessage("n must be non-negative, was -1");
        assertThatThrownBy(() -> BiasMetrics.compute("g", Map.of(), 0))
                .hasMessage("minGroupSize must be at least 1, was 0");
    }
}
