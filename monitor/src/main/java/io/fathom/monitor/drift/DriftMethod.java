package io.fathom.monitor.drift;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The drift methods a rule can name ({@code drift.method} in the definitions), each with its score and
 * the direction of its threshold.
 *
 * <ul>
 *   <li>{@code psi}, {@code kl}, {@code js}, {@code wasserstein}: the statistic; breached when it is
 *       greater than the threshold (e.g. PSI > 0.2).
 *   <li>{@code ks}: the KS statistic D (the largest gap between the two CDFs, in [0, 1]); breached when
 *       D > threshold. D rather than its p-value: on the live path D comes from sketches and is off by up
 *       to about 2.7%, which at the sizes of real windows moves the p-value by orders of magnitude, and a
 *       p-value flags shifts too small to matter once windows are large. The p-value is still reported.
 *   <li>{@code chi2}: the p-value of the chi-square homogeneity test; breached when it is below the
 *       threshold, a significance level such as 0.01 (the statistic itself grows with n and has no
 *       threshold that fits every window size).
 * </ul>
 *
 * {@code ks} and {@code wasserstein} apply to numeric features only.
 */
public enum DriftMethod {
    PSI(DriftStatistics::psi, true, false),
    KL(DriftStatistics::kl, true, false),
    JS(DriftStatistics::js, true, false),
    WASSERSTEIN(DriftStatistics::wassersteinNorm, true, true),
    KS(DriftStatistics::ksStatistic, true, true),
    CHI2(DriftStatistics::chi2PValue, false, false);

    private final ToDoubleFunction<DriftStatistics> score;
    private final boolean higherIsWorse;
    private final boolean numericOnly;
    private final String code = name().toLowerCase(Locale.ROOT);

    DriftMethod(ToDoubleFunction<DriftStatistics> score, boolean higherIsWorse, boolean numericOnly) {
        this.score = score;
        this.higherIsWorse = higherIsWorse;
        this.numericOnly = numericOnly;
    }

    /** The method named {@code code} as in the definitions ({@code psi}, {@code ks}, ...). */
    public static DriftMethod of(String code) {
        for (DriftMethod method : values()) {
            if (method.code.equals(code)) {
                return method;
            }
        }
        throw new IllegalArgumentException("drift method must be one of " + Arrays.toString(codes()) + ", was " + code);
    }

    private static String[] codes() {
        return Arrays.stream(values()).map(DriftMethod::code).toArray(String[]::new);
    }

    /** The lower-case name used in definitions, reports and metrics. */
    public String code() {
        return code;
    }

    /** The number this method judges. */
    public double score(DriftStatistics statistics) {
        return score.applyAsDouble(statistics);
    }

    /** Whether a score breaches the threshold (a NaN score never does). */
    public boolean breaches(double score, double threshold) {
        return higherIsWorse ? score > threshold : score < threshold;
    }

    /** Whether a high score is bad ({@code chi2}'s p-value is the one where a low score is). */
    public boolean higherIsWorse() {
        return higherIsWorse;
    }

    /** Whether the method can judge this feature ({@code ks} and {@code wasserstein} need numbers). */
    public boolean appliesTo(Baseline.Feature feature) {
        return !numericOnly || feature instanceof Baseline.Numeric;
    }
}
