package io.fathom.core;

/**
 * Time arithmetic on epoch milliseconds that saturates at the ends of the {@code long} range instead
 * of wrapping around: a window or ttl reaching past the earliest or latest representable time stays
 * there, so comparisons against it keep their meaning.
 */
public final class TimeMath {
    private TimeMath() {}

    /** {@code a + b}, or {@code Long.MAX_VALUE} / {@code Long.MIN_VALUE} where that overflows. */
    public static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /** {@code a - b}, or {@code Long.MIN_VALUE} / {@code Long.MAX_VALUE} where that overflows. */
    public static long minus(long a, long b) {
        long difference = a - b;
        return ((a ^ b) & (a ^ difference)) < 0 ? (b > 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : difference;
    }
}
