package io.fathom.core;

/** Time arithmetic that saturates instead of wrapping around at the ends of the {@code long} range. */
final class TimeMath {
    private TimeMath() {}

    /** {@code a - b} for {@code b >= 0}, or {@code Long.MIN_VALUE} when that underflows. */
    static long minus(long a, long b) {
        long result = a - b;
        return result > a ? Long.MIN_VALUE : result;
    }
}
