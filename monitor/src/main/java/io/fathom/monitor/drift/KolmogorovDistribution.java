package io.fathom.monitor.drift;

import java.util.function.DoubleUnaryOperator;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * The asymptotic two-sided p-value of a two-sample Kolmogorov-Smirnov statistic D of sizes n and m,
 * from D alone: {@code P(D_N >= d)} for the one-sample two-sided Kolmogorov distribution with
 * {@code N = round(n m / (n + m))} (Smirnov's asymptotic formula; the computation of Simard and
 * L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution", JSS 39(11), 2011). This is
 * scipy's {@code ks_2samp(method='asymp')} and Commons Statistics' two-sample asymptotic p-value.
 *
 * <p>Commons Statistics computes that distribution only inside its tests (the class is package
 * private), and its two-sample test needs the samples, which a sketch does not have. Its one-sample
 * exact test, though, returns exactly {@code P(D_N >= d)} for a sample of size N, so this builds a
 * sample whose one-sample D against a chosen CDF is d: the points {@code 0, 1, ..., N-1} against
 * {@code F(v) = min(1, v / N + d)}, for which {@code F(x_i) - i/N = d} and {@code (i+1)/N - F(x_i) <=
 * 1/N - d}. That costs an array of N doubles, N at most the smaller of n and m, once per window.
 *
 * <p>The distribution itself is the expensive part at large N (Commons sums the Smirnov-Birnbaum-Tingey
 * series when N D^2 is large): measured here about 0.1 s at N = 10^5, about 1 ms at N = 10^3.
 */
final class KolmogorovDistribution {
    private static final KolmogorovSmirnovTest ONE_SAMPLE_EXACT = KolmogorovSmirnovTest.withDefaults()
            .with(AlternativeHypothesis.TWO_SIDED)
            .with(PValueMethod.EXACT);

    private KolmogorovDistribution() {}

    /** The effective sample size {@code round(n m / (n + m))} of the asymptotic two-sample test. */
    public static long effectiveSize(long n, long m) {
        double nn = Math.min(n, m);
        double mm = Math.max(n, m);
        return Math.round(mm * nn / (mm + nn));
    }

    /** The asymptotic two-sided p-value of the two-sample statistic {@code d} for sizes n and m (both >= 1). */
    public static double twoSamplePValue(double d, long n, long m) {
        if (n < 1 || m < 1) {
            throw new IllegalArgumentException("sample sizes must be positive, were " + n + " and " + m);
        }
        return oneSampleSf(d, effectiveSize(n, m));
    }

    /** {@code P(D_N >= d)} for the two-sided one-sample Kolmogorov-Smirnov statistic of a sample of size N. */
    static double oneSampleSf(double d, long size) {
        if (!(d >= 0 && d <= 1)) {
            throw new IllegalArgumentException("D must be in [0, 1], was " + d);
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("effective sample size too large: " + size);
        }
        int n = (int) size;
        if (n == 1) {
            // D_1 = max(U, 1 - U) for one uniform U: P(D_1 >= d) = 1 below 1/2, then 2 (1 - d).
            return d <= 0.5 ? 1 : 2 * (1 - d);
        }
        if (d <= 0.5 / n) {
            // D_N >= 1 / (2N) always.
            return 1;
        }
        double[] points = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = i;
        }
        double nd = n;
        DoubleUnaryOperator cdf = v -> Math.min(1, v / nd + d);
        return ONE_SAMPLE_EXACT.test(points, cdf).getPValue();
    }
}
