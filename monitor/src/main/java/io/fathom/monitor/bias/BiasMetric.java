package io.fathom.monitor.bias;

import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The group-fairness metrics of a {@link BiasReport}, each with the direction of its threshold. */
public enum BiasMetric {
    /** max - min selection rate; breached above the threshold. */
    DEMOGRAPHIC_PARITY_DIFFERENCE(BiasReport::demographicParityDifference, true),
    /** min / max selection rate; breached below the threshold. */
    DEMOGRAPHIC_PARITY_RATIO(BiasReport::demographicParityRatio, false),
    /** min over groups of rate / reference group's rate; breached below the threshold (four-fifths rule: 0.8). */
    DISPARATE_IMPACT_RATIO(BiasReport::disparateImpactRatio, false),
    /** max - min true positive rate; breached above the threshold. */
    EQUAL_OPPORTUNITY_DIFFERENCE(BiasReport::equalOpportunityDifference, true),
    /** max of the TPR and FPR differences; breached above the threshold. */
    EQUALIZED_ODDS_DIFFERENCE(BiasReport::equalizedOddsDifference, true);

    private final ToDoubleFunction<BiasReport> value;
    private final boolean higherIsWorse;
    private final String code = name().toLowerCase(Locale.ROOT);

    BiasMetric(ToDoubleFunction<BiasReport> value, boolean higherIsWorse) {
        this.value = value;
        this.higherIsWorse = higherIsWorse;
    }

    /** The lower-case name used in alerts and metrics, e.g. {@code disparate_impact_ratio}. */
    public String code() {
        return code;
    }

    /** The metric's value in a report (NaN when too few groups are sufficient). */
    public double value(BiasReport report) {
        return value.applyAsDouble(report);
    }

    /** Whether a value breaches the threshold (NaN never does). */
    public boolean breaches(double value, double threshold) {
        return higherIsWorse ? value > threshold : value < threshold;
    }
}
