package io.fathom.monitor.drift;

import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.RecordComponents;
import java.util.Objects;
import java.util.Optional;

/**
 * The judgement of one feature's live window against its baseline: every statistic, the score of the
 * rule's method, and the verdict.
 *
 * <p>A window with fewer than {@code minSamples} non-null values, or a feature whose baseline has no
 * values, is {@link Verdict#INSUFFICIENT}: no statistics, a NaN score, never drift (docs/semantics.md). Nulls
 * are not samples; the null rates of both sides are reported beside the statistics.
 *
 * @param feature the feature's name
 * @param method the rule's method
 * @param threshold the rule's threshold
 * @param verdict OK, DRIFT or INSUFFICIENT
 * @param score the method's score ({@link DriftMethod#score}), NaN when insufficient
 * @param n the window's non-null values
 * @param nulls the window's nulls
 * @param minSamples the fewest non-null values judged
 * @param referenceNullRate the baseline's null rate
 * @param statistics every statistic, empty when insufficient
 */
public record DriftReport(
        String feature,
        DriftMethod method,
        double threshold,
        Verdict verdict,
        double score,
        long n,
        long nulls,
        long minSamples,
        double referenceNullRate,
        Optional<DriftStatistics> statistics) {

    public DriftReport {
        RecordComponents.requireNonNull(
                DriftReport.class,
                feature,
                method,
                threshold,
                verdict,
                score,
                n,
                nulls,
                minSamples,
                referenceNullRate,
                statistics);
        if (verdict == Verdict.INSUFFICIENT != statistics.isEmpty()) {
            throw new IllegalArgumentException("a report has statistics exactly when it is not INSUFFICIENT");
        }
    }

    /** The window's null rate; NaN when it saw nothing. */
    public double nullRate() {
        long total = n + nulls;
        return total == 0 ? Double.NaN : (double) nulls / total;
    }

    /**
     * Judges a window. Histogram statistics come from the frozen bins (or categories) of both sides; KS
     * and Wasserstein from the two KLL sketches, Wasserstein divided by the baseline's population
     * standard deviation floored at 1e-3.
     *
     * @throws IllegalArgumentException if the window is not binned like {@code reference}, if the rule's
     *     method does not apply to the feature ({@link DriftMethod#appliesTo}: check at start-up), or
     *     if {@code minSamples < 1}
     */
    public static DriftReport compute(Baseline.Feature reference, LiveWindow current, DriftRule rule, long minSamples) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(rule, "rule");
        if (minSamples < 1) {
            throw new IllegalArgumentException("minSamples must be at least 1, was " + minSamples);
        }
        DriftMethod method = DriftMethod.of(rule.method());
        if (!method.appliesTo(reference)) {
            throw new IllegalArgumentException("drift method " + method.code() + " needs a numeric feature, but "
                    + reference.name() + " is categorical");
        }
        long[] referenceCounts = reference.binCounts();
        long[] currentCounts = current.binCounts();
        boolean sameFeature = reference.name().equals(current.feature());
        boolean sameKind = reference instanceof Baseline.Numeric numeric
                ? current instanceof LiveWindow.Numeric window && window.edges().equals(numeric.edges())
                : current instanceof LiveWindow.Categorical;
        if (!sameFeature || !sameKind || referenceCounts.length != currentCounts.length) {
            throw new IllegalArgumentException(
                    "the window of " + current.feature() + " is not binned like the baseline of " + reference.name());
        }
        if (current.n() < minSamples || reference.count() == 0) {
            return new DriftReport(
                    reference.name(),
                    method,
                    rule.threshold(),
                    Verdict.INSUFFICIENT,
                    Double.NaN,
                    current.n(),
                    current.nulls(),
                    minSamples,
                    reference.nullRate(),
                    Optional.empty());
        }
        DriftStatistics statistics = DriftStatistics.ofHistograms(referenceCounts, currentCounts);
        if (reference instanceof Baseline.Numeric numeric && current instanceof LiveWindow.Numeric window) {
            statistics = statistics.withContinuous(
                    KolmogorovSmirnov.test(numeric.sketch(), window.sketch()),
                    Wasserstein.normalized(numeric.sketch(), window.sketch(), numeric.populationStd()));
        }
        double score = method.score(statistics);
        Verdict verdict = method.breaches(score, rule.threshold()) ? Verdict.DRIFT : Verdict.OK;
        return new DriftReport(
                reference.name(),
                method,
                rule.threshold(),
                verdict,
                score,
                current.n(),
                current.nulls(),
                minSamples,
                reference.nullRate(),
                Optional.of(statistics));
    }
}
