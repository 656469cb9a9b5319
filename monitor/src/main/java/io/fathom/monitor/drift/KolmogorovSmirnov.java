package io.fathom.monitor.drift;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * The two-sample Kolmogorov-Smirnov test: {@code D = sup_t |F_ref(t) - F_cur(t)|} over the empirical
 * CDFs, and its asymptotic two-sided p-value {@code P(D_N >= D)} from the Kolmogorov distribution with
 * {@code N = round(n m / (n + m))} (Smirnov, 1939; Simard and L'Ecuyer, JSS 39(11), 2011). This is
 * scipy's {@code ks_2samp(ref, cur, method='asymp')}, which the reference vectors use.
 *
 * <p>Two versions. {@link #test(double[], double[])} is exact, on the samples, through Commons
 * Statistics' {@link KolmogorovSmirnovTest} (ties handled: D is taken after all values equal to t).
 * {@link #test(KllDoublesSketch, KllDoublesSketch)} is the live path: D between the step CDFs that two
 * KLL sketches represent (their retained items with their weights), and the same p-value for that D.
 * Each sketch's CDF is within its normalized rank error ε of the exact one (k = 200: ε ≈ 1.33%, at 99%
 * confidence), so the sketch D is within {@code ε_ref + ε_cur} of the exact D. DataSketches' own
 * {@code KolmogorovSmirnov.computeKSDelta} is not used: it compares cumulative weights at different
 * points and can miss the supremum (samples {1, 2} and {3, 4} give it 0.5, not 1).
 *
 * <p>The p-value is only as good as D: at large N, a D off by the sketch error moves it a lot, which
 * is why the drift rule {@code ks} judges D, not the p-value (see {@link DriftMethod#KS}).
 */
public final class KolmogorovSmirnov {
    private static final KolmogorovSmirnovTest TEST = KolmogorovSmirnovTest.withDefaults()
            .with(AlternativeHypothesis.TWO_SIDED)
            .with(PValueMethod.ASYMPTOTIC);

    private KolmogorovSmirnov() {}

    /** D and its asymptotic two-sided p-value. */
    public record Result(double statistic, double pValue) {
        /** The outcome when either side is empty. */
        public static final Result UNDEFINED = new Result(Double.NaN, Double.NaN);
    }

    /** The exact test on two samples (no NaN); {@link Result#UNDEFINED} when either is empty. */
    public static Result test(double[] reference, double[] current) {
        requireNoNaN(reference, "reference");
        requireNoNaN(current, "current");
        if (reference.length == 0 || current.length == 0) {
            return Result.UNDEFINED;
        }
        if (reference.length >= 2 && current.length >= 2) {
            KolmogorovSmirnovTest.TwoResult result = TEST.test(reference, current);
            return new Result(result.getStatistic(), result.getPValue());
        }
        // Commons needs two values a side; one value is still a step function.
        double d =
                StepCdfs.supDistance(StepCdfs.Cdf.ofSorted(sorted(reference)), StepCdfs.Cdf.ofSorted(sorted(current)));
        return new Result(d, KolmogorovDistribution.twoSamplePValue(d, reference.length, current.length));
    }

    /** The test on two KLL sketches; {@link Result#UNDEFINED} when either is empty. */
    public static Result test(KllDoublesSketch reference, KllDoublesSketch current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (reference.isEmpty() || current.isEmpty()) {
            return Result.UNDEFINED;
        }
        double d = StepCdfs.supDistance(StepCdfs.Cdf.of(reference), StepCdfs.Cdf.of(current));
        return new Result(d, pValue(d, reference.getN(), current.getN()));
    }

    /** The asymptotic two-sided p-value of a two-sample statistic {@code d} for sample sizes n and m. */
    public static double pValue(double d, long n, long m) {
        return KolmogorovDistribution.twoSamplePValue(d, n, m);
    }

    /** The bound on |sketch D - exact D|: the sum of the two sketches' normalized rank errors. */
    public static double sketchErrorBound(KllDoublesSketch reference, KllDoublesSketch current) {
        return reference.getNormalizedRankError(false) + current.getNormalizedRankError(false);
    }

    static double[] sorted(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    static void requireNoNaN(double[] values, String name) {
        Objects.requireNonNull(values, name);
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                throw new IllegalArgumentException(name + "[" + i + "] is NaN");
            }
        }
    }
}
