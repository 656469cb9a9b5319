package io.fathom.monitor.drift;

import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;

/**
 * Distances between two right-continuous step CDFs, each given by sorted points {@code x} (ties
 * allowed) and non-decreasing cumulative weights {@code cum} with {@code F(t) = cum[i] / total} for
 * the last {@code i} with {@code x[i] <= t}, and 0 before the first point.
 *
 * <p>An exact sample is such a step function with weights {@code 1, 2, ..., n}; a KLL sketch's sorted
 * view is one with its retained items and their cumulative (natural-rank) weights. Both distances are
 * computed by one merge walk over the jump points:
 *
 * <ul>
 *   <li>{@link #supDistance}: {@code sup_t |F(t) - G(t)|}, the Kolmogorov-Smirnov D. Both functions are
 *       constant between jump points, so the supremum is reached at one of them (scipy's
 *       {@code ks_2samp} evaluates the same at every sample value with {@code searchsorted(side='right')}).
 *   <li>{@link #l1Distance}: {@code integral |F(t) - G(t)| dt}, which for one-dimensional distributions
 *       equals the first Wasserstein distance (Vallender, 1974; scipy's {@code wasserstein_distance}
 *       sums {@code |F - G| * delta} over the sorted union of the samples in the same way).
 * </ul>
 */
final class StepCdfs {
    private StepCdfs() {}

    /** A step CDF: sorted points {@code x} and their cumulative weights {@code cum}. */
    record Cdf(double[] x, double[] cum) {
        /** A sorted sample's: weights {@code 1, 2, ..., n}. */
        static Cdf ofSorted(double[] sorted) {
            double[] cum = new double[sorted.length];
            for (int i = 0; i < sorted.length; i++) {
                cum[i] = i + 1;
            }
            return new Cdf(sorted, cum);
        }

        /** A KLL sketch's sorted view: its retained items and their natural-rank weights. */
        static Cdf of(KllDoublesSketch sketch) {
            DoublesSortedView view = sketch.getSortedView();
            long[] weights = view.getCumulativeWeights();
            double[] cum = new double[weights.length];
            for (int i = 0; i < weights.length; i++) {
                cum[i] = weights[i];
            }
            return new Cdf(view.getQuantiles(), cum);
        }
    }

    /** {@code sup |F - G|} over all t; both functions must have at least one point. */
    static double supDistance(Cdf f, Cdf g) {
        return distances(f.x(), f.cum(), g.x(), g.cum())[0];
    }

    /** {@code integral |F(t) - G(t)| dt}; both functions must have at least one point. */
    static double l1Distance(Cdf f, Cdf g) {
        return distances(f.x(), f.cum(), g.x(), g.cum())[1];
    }

    /** The merge walk: {@code {sup, l1}}. */
    private static double[] distances(double[] xa, double[] cumA, double[] xb, double[] cumB) {
        double totalA = cumA[cumA.length - 1];
        double totalB = cumB[cumB.length - 1];
        int i = 0;
        int j = 0;
        double fa = 0;
        double fb = 0;
        double previous = Double.NaN;
        double sup = 0;
        double l1 = 0;
        while (i < xa.length || j < xb.length) {
            double t = nextPoint(xa, i, xb, j);
            if (i + j > 0) {
                l1 += Math.abs(fa - fb) * (t - previous); // F and G are constant on [previous, t)
            }
            while (i < xa.length && xa[i] == t) {
                fa = cumA[i++] / totalA;
            }
            while (j < xb.length && xb[j] == t) {
                fb = cumB[j++] / totalB;
            }
            sup = Math.max(sup, Math.abs(fa - fb));
            previous = t;
        }
        return new double[] {sup, l1};
    }

    private static double nextPoint(double[] xa, int i, double[] xb, int j) {
        if (i == xa.length) {
            return xb[j];
        }
        if (j == xb.length) {
            return xa[i];
        }
        return Math.min(xa[i], xb[j]);
    }
}
