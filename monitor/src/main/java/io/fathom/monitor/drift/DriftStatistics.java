package io.fathom.monitor.drift;

/**
 * Every drift statistic of one window against its baseline (definitions in {@link HistogramDrift},
 * {@link ChiSquareHomogeneity}, {@link KolmogorovSmirnov} and {@link Wasserstein}). Histogram
 * statistics use the baseline's bins (numeric) or categories plus other (categorical); the KS and
 * Wasserstein fields are NaN for categorical features, where they are not defined.
 */
public record DriftStatistics(
        double psi,
        double kl,
        double js,
        double chi2Statistic,
        double chi2PValue,
        int chi2DegreesOfFreedom,
        double ksStatistic,
        double ksPValue,
        double wassersteinNorm) {

    /** The histogram statistics of two histograms over the same bins; KS and Wasserstein NaN. */
    public static DriftStatistics ofHistograms(long[] reference, long[] current) {
        ChiSquareHomogeneity.Result chi2 = ChiSquareHomogeneity.test(reference, current);
        return new DriftStatistics(
                HistogramDrift.psi(reference, current),
                HistogramDrift.kl(reference, current),
                HistogramDrift.jsDistance(reference, current),
                chi2.statistic(),
                chi2.pValue(),
                chi2.degreesOfFreedom(),
                Double.NaN,
                Double.NaN,
                Double.NaN);
    }

    /** These statistics with the KS and Wasserstein fields set. */
    public DriftStatistics withContinuous(KolmogorovSmirnov.Result ks, double wassersteinNorm) {
        return new DriftStatistics(
                psi,
                kl,
                js,
                chi2Statistic,
                chi2PValue,
                chi2DegreesOfFreedom,
                ks.statistic(),
                ks.pValue(),
                wassersteinNorm);
    }
}
