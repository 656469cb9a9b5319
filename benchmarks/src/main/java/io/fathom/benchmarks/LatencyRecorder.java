package io.fathom.benchmarks;

import java.util.Arrays;

/**
 * Latencies of one measured run, in nanoseconds, kept exactly (a growing array sorted on demand) rather than
 * in a histogram: runs here record at most a few million samples, and HdrHistogram is only a runtime
 * dependency of Micrometer. {@link #record} is synchronized so a recorder can be shared by a few threads;
 * uncontended, that costs nanoseconds.
 */
final class LatencyRecorder {
    private long[] nanos = new long[1 << 16];
    private int count;
    private boolean sorted = true;

    synchronized void record(long latencyNanos) {
        if (count == nanos.length) {
            nanos = Arrays.copyOf(nanos, count * 2);
        }
        nanos[count++] = latencyNanos;
        sorted = false;
    }

    synchronized void addAll(LatencyRecorder other) {
        synchronized (other) {
            for (int i = 0; i < other.count; i++) {
                record(other.nanos[i]);
            }
        }
    }

    synchronized int count() {
        return count;
    }

    /** The latency at quantile {@code q} (0..1) in milliseconds, nearest rank; NaN without samples. */
    synchronized double millis(double q) {
        if (count == 0) {
            return Double.NaN;
        }
        if (!sorted) {
            Arrays.sort(nanos, 0, count);
            sorted = true;
        }
        int rank = (int) Math.ceil(q * count);
        return nanos[Math.max(0, Math.min(count - 1, rank - 1))] / 1e6;
    }

    double p50() {
        return millis(0.50);
    }

    double p99() {
        return millis(0.99);
    }

    double p999() {
        return millis(0.999);
    }
}
