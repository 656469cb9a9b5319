package io.fathom.offline.internal;

/** Time arithmetic that saturates at the ends of the {@code long} range instead of wrapping. */
final class Times {
    private Times() {}

    static long plus(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    static long minus(long a, long b) {
        long difference = a - b;
        return ((a ^ b) & (a ^ difference)) < 0 ? (b > 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : difference;
    }
}
