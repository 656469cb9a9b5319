package io.fathom.monitor.bias;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Group-fairness metrics of a binary classifier across the values of one protected attribute, from
 * per-group counts (definitions as in Fairlearn's {@code fairlearn.metrics}; Hardt, Price and Srebro,
 * "Equality of Opportunity in Supervised Learning", 2016; the four-fifths rule of the US EEOC Uniform
 * Guidelines, 29 CFR 1607.4(D), for disparate impact):
 *
 * <ul>
 *   <li>selection rate {@code = predicted positives / n}; TPR {@code = TP / (TP + FN)}; FPR {@code = FP /
 *       (FP + TN)};
 *   <li>demographic parity difference {@code = max - min} selection rate, ratio {@code = min / max};
 *   <li>disparate impact of a group {@code = its selection rate / the reference group's}, where the
 *       reference is the most-selected group (the group an adverse impact would be judged against
 *       without a declared privileged group); the ratio is the lowest, so it equals min / max;
 *   <li>equal opportunity difference {@code = max - min} TPR; equalized odds difference {@code =
 *       max(max - min TPR, max - min FPR)}.
 * </ul>
 *
 * Groups with fewer than {@code minGroupSize} predictions are reported as insufficient and left out;
 * TPR and FPR need {@code minGroupSize} labelled predictions. A metric over fewer than two groups is
 * NaN. When no sufficient group is ever selected, the ratios are 1: all groups are treated alike.
 */
public final class BiasMetrics {
    private BiasMetrics() {}

    /** The report of {@code attribute} from its groups' counts. */
    public static BiasReport compute(String attribute, Map<String, GroupCounts> groups, long minGroupSize) {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(groups, "groups");
        if (minGroupSize < 1) {
            throw new IllegalArgumentException("minGroupSize must be at least 1, was " + minGroupSize);
        }
        Map<String, GroupCounts> sorted = new TreeMap<>(groups);
        Range selection = new Range();
        Range tpr = new Range();
        Range fpr = new Range();
        Optional<String> reference = Optional.empty();
        double referenceRate = Double.NaN;
        for (Map.Entry<String, GroupCounts> e : sorted.entrySet()) {
            GroupCounts c = Objects.requireNonNull(e.getValue(), () -> "counts of group " + e.getKey());
            if (c.n() >= minGroupSize) {
                double rate = ratio(c.predictedPositive(), c.n());
                selection.add(rate);
                if (reference.isEmpty() || rate > referenceRate) {
                    reference = Optional.of(e.getKey());
                    referenceRate = rate;
                }
            }
            if (c.labelled() >= minGroupSize) {
                tpr.add(ratio(c.truePositives(), c.truePositives() + c.falseNegatives()));
                fpr.add(ratio(c.falsePositives(), c.falsePositives() + c.trueNegatives()));
            }
        }
        List<BiasReport.GroupMetrics> metrics = new ArrayList<>();
        for (Map.Entry<String, GroupCounts> e : sorted.entrySet()) {
            GroupCounts c = e.getValue();
            boolean sufficient = c.n() >= minGroupSize;
            double rate = ratio(c.predictedPositive(), c.n());
            metrics.add(new BiasReport.GroupMetrics(
                    e.getKey(),
                    c,
                    sufficient,
                    c.labelled() >= minGroupSize,
                    rate,
                    ratio(c.truePositives(), c.truePositives() + c.falseNegatives()),
                    ratio(c.falsePositives(), c.falsePositives() + c.trueNegatives()),
                    sufficient && selection.count >= 2 ? relative(rate, referenceRate) : Double.NaN));
        }
        boolean comparable = selection.count >= 2;
        double parityRatio = comparable ? relative(selection.min, selection.max) : Double.NaN;
        double tprDifference = tpr.difference();
        double fprDifference = fpr.difference();
        double oddsDifference = Double.isNaN(tprDifference)
                ? fprDifference
                : Double.isNaN(fprDifference) ? tprDifference : Math.max(tprDifference, fprDifference);
        return new BiasReport(
                attribute,
                minGroupSize,
                metrics,
                comparable ? reference : Optional.empty(),
                selection.difference(),
                parityRatio,
                parityRatio,
                tprDifference,
                oddsDifference);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    /** {@code rate / reference}, 1 when both are 0 (nobody selected anywhere). */
    private static double relative(double rate, double reference) {
        return reference == 0 ? 1 : rate / reference;
    }

    /** Min and max of the defined values among groups; a difference needs two of them. */
    private static final class Range {
        int count;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;

        void add(double value) {
            if (!Double.isNaN(value)) {
                count++;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }

        double difference() {
            return count >= 2 ? max - min : Double.NaN;
        }
    }
}
