package io.fathom.monitor.drift;

import java.util.Objects;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * The first Wasserstein (earth mover's) distance between the reference and current distributions,
 * divided by the reference standard deviation so that one threshold fits features of any scale.
 *
 * <p>For one-dimensional distributions {@code W1 = integral |F_ref(t) - F_cur(t)| dt} (Vallender,
 * "Calculation of the Wasserstein distance between probability distributions on the line", 1974),
 * computed over the jump points of the two step CDFs, as scipy's {@code wasserstein_distance} does.
 * docs/semantics.md: {@code wasserstein_norm = W1 / max(std_ref, 1e-3)} with the population standard deviation
 * (ddof = 0) of the reference; the floor keeps a constant reference feature from dividing by zero.
 *
 * <p>The live path ({@link #distance(KllDoublesSketch, KllDoublesSketch)}) takes the same integral
 * between the step CDFs that two KLL sketches represent (retained items with their weights). Each
 * sketch CDF is within its normalized rank error ε of the exact one everywhere, so {@code |W_sketch -
 * W_exact| <= ε_ref (max_ref - min_ref) + ε_cur (max_cur - min_cur)}; in practice the errors largely
 * cancel along the integral and the difference is far smaller.
 */
public final class Wasserstein {
    /** The floor of the reference standard deviation. */
    public static final double MIN_SCALE = 1e-3;

    private Wasserstein() {}

    /** W1 between two samples (no NaN); NaN when either is empty. */
    public static double distance(double[] reference, double[] current) {
        KolmogorovSmirnov.requireNoNaN(reference, "reference");
        KolmogorovSmirnov.requireNoNaN(current, "current");
        if (reference.length == 0 || current.length == 0) {
            return Double.NaN;
        }
        return StepCdfs.l1Distance(
                StepCdfs.Cdf.ofSorted(KolmogorovSmirnov.sorted(reference)),
                StepCdfs.Cdf.ofSorted(KolmogorovSmirnov.sorted(current)));
    }

    /** W1 between two samples divided by the reference's floored population standard deviation. */
    public static double normalized(double[] reference, double[] current) {
        return distance(reference, current) / scale(populationStd(reference));
    }

    /** W1 between the distributions of two KLL sketches; NaN when either is empty. */
    public static double distance(KllDoublesSketch reference, KllDoublesSketch current) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(current, "current");
        if (reference.isEmpty() || current.isEmpty()) {
            return Double.NaN;
        }
        return StepCdfs.l1Distance(StepCdfs.Cdf.of(reference), StepCdfs.Cdf.of(current));
    }

    /** W1 between two sketches divided by the floored reference standard deviation {@code referenceStd}. */
    public static double normalized(KllDoublesSketch reference, KllDoublesSketch current, double referenceStd) {
        return distance(reference, current) / scale(referenceStd);
    }

    /** The bound on |sketch W1 - exact W1| from the sketches' rank errors and ranges. */
    public static double sketchErrorBound(KllDoublesSketch reference, KllDoublesSketch current) {
        return reference.getNormalizedRankError(false) * (reference.getMaxItem() - reference.getMinItem())
                + current.getNormalizedRankError(false) * (current.getMaxItem() - current.getMinItem());
    }

    /** The divisor: {@code max(std, 1e-3)}. */
    public static double scale(double referenceStd) {
        return Math.max(referenceStd, MIN_SCALE);
    }

    /** The population (ddof = 0) standard deviation by two passes; NaN for an empty sample. */
    public static double populationStd(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            double d = v - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / values.length);
    }
}
