package io.fathom.monitor.drift;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * The asymptotic two-sided p-value of a two-sample Kolmogorov-Smirnov statistic D of sizes n and m,
 * from D alone: {@code P(D_N >= d)} for the one-sample two-sided Kolmogorov distribution with
 * {@code N = round(n m / (n + m))} (Smirnov's asymptotic formula; the computation of Simard and
 * L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution", JSS 39(11), 2011). This is
 * scipy's {@code ks_2samp(method='asymp')} and Commons Statistics' two-sample asymptotic p-value.
 *
 * <p>Commons Statistics computes that distribution in {@code KolmogorovSmirnovDistribution.Two.sf(d, n)},
 * a package-private method its public tests call (the one-sample exact test returns exactly that for a
 * sample of size N; its two-sample test needs the samples, which a sketch does not have). Reaching it
 * through the public one-sample test meant building a sample of N points whose D is d, which Commons then
 * copies and sorts: half of the time the monitor spent closing a window (JFR, issue 11). So this calls the
 * method itself, through a method handle looked up once; {@code KolmogorovDistributionTest} checks it
 * against the public one-sample test, and {@code DriftVectorsTest} against scipy.
 *
 * <p>The distribution itself is the expensive part at large N (Commons sums the Smirnov-Birnbaum-Tingey
 * series when N D^2 is large).
 */
final class KolmogorovDistribution {
    private static final MethodHandle TWO_SIDED_SF = twoSidedSf();

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
        if (size < 1 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("effective sample size out of range: " + size);
        }
        try {
            return (double) TWO_SIDED_SF.invokeExact(d, (int) size);
        } catch (Throwable t) {
            throw new IllegalStateException(
                    "Commons Statistics' Kolmogorov distribution failed at d=" + d + ", N=" + size, t);
        }
    }

    private static MethodHandle twoSidedSf() {
        String name = "org.apache.commons.statistics.inference.KolmogorovSmirnovDistribution$Two";
        try {
            Method sf = Class.forName(name).getDeclaredMethod("sf", double.class, int.class);
            sf.setAccessible(true);
            return MethodHandles.lookup().unreflect(sf);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("Commons Statistics' " + name
                    + ".sf(double, int) is not there: is commons-statistics-inference 1.2 on the class path? " + e);
        }
    }
}
