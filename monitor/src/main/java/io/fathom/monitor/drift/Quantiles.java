package io.fathom.monitor.drift;

/**
 * Sample quantiles by linear interpolation between order statistics, Hyndman and Fan's type 7 (R's
 * default, numpy's {@code method='linear'}): for probability p over n sorted values, {@code h = (n-1) p},
 * and the value is {@code x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])}. The interpolation is
 * written as numpy writes it (from the upper value when the fraction is at least 1/2), so the edges of
 * a baseline equal {@code numpy.quantile} of the same values bit for bit.
 */
final class Quantiles {
    private Quantiles() {}

    /** The type-7 quantile of {@code sorted} (ascending, not empty, no NaN) at probability p in [0, 1]. */
    public static double linear(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lower = (int) Math.floor(h);
        if (lower >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double fraction = h - lower;
        double a = sorted[lower];
        double b = sorted[lower + 1];
        double difference = b - a;
        return fraction >= 0.5 ? b - difference * (1 - fraction) : a + difference * fraction;
    }
}
