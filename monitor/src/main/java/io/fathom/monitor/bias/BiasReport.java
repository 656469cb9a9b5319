package io.fathom.monitor.bias;

import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The bias metrics of one protected attribute in one window ({@link BiasMetrics#compute}). Metrics are
 * over the sufficient groups only and NaN when fewer than two groups qualify.
 *
 * @param attribute the protected attribute, e.g. {@code gender}
 * @param minGroupSize the fewest predictions (and, for TPR and FPR, labelled predictions) a group needs
 * @param groups every group seen, sorted by name, sufficient or not
 * @param referenceGroup the sufficient group with the highest selection rate (ties: the first by name),
 *     against which disparate impact is measured
 * @param demographicParityDifference max - min selection rate
 * @param demographicParityRatio min / max selection rate (1 when no group is ever selected)
 * @param disparateImpactRatio the lowest of each group's selection rate divided by the reference
 *     group's; with the most-selected group as the reference this equals the demographic parity ratio
 * @param equalOpportunityDifference max - min true positive rate
 * @param equalizedOddsDifference max(TPR difference, FPR difference)
 */
public record BiasReport(
        String attribute,
        long minGroupSize,
        List<GroupMetrics> groups,
        Optional<String> referenceGroup,
        double demographicParityDifference,
        double demographicParityRatio,
        double disparateImpactRatio,
        double equalOpportunityDifference,
        double equalizedOddsDifference) {

    public BiasReport {
        Objects.requireNonNull(attribute, "attribute");
        groups = List.copyOf(groups);
        Objects.requireNonNull(referenceGroup, "referenceGroup");
    }

    /**
     * One group's rates.
     *
     * @param group the attribute's value
     * @param counts the group's counts
     * @param sufficient whether it has at least {@code minGroupSize} predictions (else it is reported
     *     but left out of the metrics)
     * @param labelsSufficient whether it has at least {@code minGroupSize} labelled predictions (else its
     *     TPR and FPR are left out)
     * @param selectionRate predicted positives / n
     * @param truePositiveRate TP / (TP + FN), NaN without labelled positives
     * @param falsePositiveRate FP / (FP + TN), NaN without labelled negatives
     * @param disparateImpact selection rate / the reference group's (NaN when not sufficient)
     */
    public record GroupMetrics(
            String group,
            GroupCounts counts,
            boolean sufficient,
            boolean labelsSufficient,
            double selectionRate,
            double truePositiveRate,
            double falsePositiveRate,
            double disparateImpact) {
        public GroupMetrics {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(counts, "counts");
        }
    }

    /** The number of groups that take part in the selection-rate metrics. */
    public long sufficientGroups() {
        return groups.stream().filter(GroupMetrics::sufficient).count();
    }

    /**
     * The verdict of one metric against a threshold: INSUFFICIENT when the metric is undefined (fewer
     * than two sufficient groups), DRIFT when breached (the state machine's word for a breach), else OK.
     */
    public Verdict verdict(BiasMetric metric, double threshold) {
        double value = metric.value(this);
        if (Double.isNaN(value)) {
            return Verdict.INSUFFICIENT;
        }
        return metric.breaches(value, threshold) ? Verdict.DRIFT : Verdict.OK;
    }

    /** The verdicts of the two alerting metrics of a rule: disparate impact and parity difference. */
    public Map<BiasMetric, Verdict> verdicts(BiasRule rule) {
        Map<BiasMetric, Verdict> verdicts = new LinkedHashMap<>();
        verdicts.put(
                BiasMetric.DISPARATE_IMPACT_RATIO,
                verdict(BiasMetric.DISPARATE_IMPACT_RATIO, rule.disparateImpactMin()));
        verdicts.put(
                BiasMetric.DEMOGRAPHIC_PARITY_DIFFERENCE,
                verdict(BiasMetric.DEMOGRAPHIC_PARITY_DIFFERENCE, rule.parityDifferenceMax()));
        return verdicts;
    }
}
