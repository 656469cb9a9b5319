package io.fathom.monitor.drift;

import java.util.Objects;

/**
 * Divergences between a reference and a current histogram over the same bins: the population
 * stability index, the Kullback-Leibler divergence of current relative to reference, and the
 * Jensen-Shannon distance.
 *
 * <p>Definitions (docs/semantics.md, "Monitor"; the reference vectors in {@code monitor/src/test/resources/testdata} are computed
 * with numpy/scipy from the same ones). Each side is smoothed the same way, so that an empty bin never
 * gives an infinite divergence: add 0.5 to every one of the k bin counts, then normalise,
 * {@code p_i = (r_i + 0.5) / (n_r + 0.5 k)} for the reference and {@code q_i = (c_i + 0.5) / (n_c + 0.5 k)}
 * for the current window. Then
 *
 * <ul>
 *   <li>PSI {@code = sum_i (q_i - p_i) ln(q_i / p_i)} (Yurdakul, "Statistical Properties of Population
 *       Stability Index", 2018), which is the symmetrised KL divergence {@code KL(q||p) + KL(p||q)};
 *   <li>KL {@code = sum_i q_i ln(q_i / p_i)}, in nats (Kullback and Leibler, 1951);
 *   <li>JS distance {@code = sqrt((KL(p||m) + KL(q||m)) / (2 ln 2))} with {@code m = (p + q) / 2}, the
 *       square root of the Jensen-Shannon divergence in bits (Lin, 1991; Endres and Schindelin, 2003:
 *       a metric), in [0, 1]; scipy's {@code jensenshannon(p, q, base=2)}.
 * </ul>
 */
public final class HistogramDrift {
    /** The pseudo-count added to every bin on both sides. */
    public static final double SMOOTHING = 0.5;

    private HistogramDrift() {}

    /** The smoothed probabilities {@code (c_i + 0.5) / (n + 0.5 k)} of a histogram. */
    public static double[] smoothed(long[] counts) {
        requireCounts(counts, "counts");
        double total = 0;
        for (long c : counts) {
            total += c;
        }
        double denominator = total + SMOOTHING * counts.length;
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = (counts[i] + SMOOTHING) / denominator;
        }
        return p;
    }

    /** The population stability index of {@code current} against {@code reference}. */
    public static double psi(long[] reference, long[] current) {
        requireSameBins(reference, current);
        double[] p = smoothed(reference);
        double[] q = smoothed(current);
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += (q[i] - p[i]) * Math.log(q[i] / p[i]);
        }
        return sum;
    }

    /** The Kullback-Leibler divergence {@code KL(current || reference)}, in nats. */
    public static double kl(long[] reference, long[] current) {
        requireSameBins(reference, current);
        return relativeEntropy(smoothed(current), smoothed(reference));
    }

    /** The Jensen-Shannon distance (base 2), in [0, 1]. */
    public static double jsDistance(long[] reference, long[] current) {
        requireSameBins(reference, current);
        double[] p = smoothed(reference);
        double[] q = smoothed(current);
        double[] m = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            m[i] = (p[i] + q[i]) / 2;
        }
        double divergence = (relativeEntropy(p, m) + relativeEntropy(q, m)) / Math.log(2);
        return Math.sqrt(Math.max(0, divergence / 2));
    }

    private static double relativeEntropy(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += p[i] * Math.log(p[i] / q[i]);
        }
        return sum;
    }

    static void requireSameBins(long[] reference, long[] current) {
        requireCounts(reference, "reference");
        requireCounts(current, "current");
        if (reference.length != current.length) {
            throw new IllegalArgumentException(
                    "reference has " + reference.length + " bins but current has " + current.length);
        }
    }

    private static void requireCounts(long[] counts, String name) {
        Objects.requireNonNull(counts, name);
        if (counts.length == 0) {
            throw new IllegalArgumentException(name + " has no bins");
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException(name + " count of bin " + i + " is negative: " + counts[i]);
            }
        }
    }
}
