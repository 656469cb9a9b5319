package io.fathom.offline.internal;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Which times the entity rows ask about, kept small enough for any number of rows: the distinct row
 * timestamps, rounded down to a quantum that grows (1 ms, then ×4) whenever more than {@value
 * #MAX_VALUES} distinct values would be kept. {@link #anyIn} can answer "yes" for a range that holds no
 * row time (within one quantum of one), never "no" for a range that holds one: it prunes date
 * directories, row groups and snapshots that no row can use. Immutable and thread-safe once built.
 */
public final class TimeCoverage implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int MAX_VALUES = 1 << 20;

    private final long[] quantized;
    private final long quantum;
    private final long min;
    private final long max;

    private TimeCoverage(long[] quantized, long quantum, long min, long max) {
        this.quantized = quantized;
        this.quantum = quantum;
        this.min = min;
        this.max = max;
    }

    /** Whether some row time may lie in {@code [from, to]} (inclusive). */
    public boolean anyIn(long from, long to) {
        if (from > to || quantized.length == 0 || to < min || from > max) {
            return false;
        }
        long qFrom = Math.floorDiv(from, quantum);
        long qTo = Math.floorDiv(to, quantum);
        int i = Arrays.binarySearch(quantized, qFrom);
        if (i >= 0) {
            return true;
        }
        int insertion = -i - 1;
        return insertion < quantized.length && quantized[insertion] <= qTo;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    public boolean isEmpty() {
        return quantized.length == 0;
    }

    /** Collects times; single-threaded. */
    public static final class Builder {
        private long[] values = new long[1 << 12];
        private int size;
        private long quantum = 1;
        private long min = Long.MAX_VALUE;
        private long max = Long.MIN_VALUE;

        public void add(long time) {
            min = Math.min(min, time);
            max = Math.max(max, time);
            if (size == values.length) {
                compact();
            }
            values[size++] = Math.floorDiv(time, quantum);
        }

        private void compact() {
            sortDistinct();
            while (size > MAX_VALUES / 2) {
                quantum *= 4;
                for (int i = 0; i < size; i++) {
                    values[i] = Math.floorDiv(values[i], 4);
                }
                sortDistinct();
            }
            if (size > values.length / 2 && values.length < MAX_VALUES) {
                values = Arrays.copyOf(values, values.length * 2);
            }
        }

        private void sortDistinct() {
            Arrays.sort(values, 0, size);
            int distinct = 0;
            for (int i = 0; i < size; i++) {
                if (distinct == 0 || values[i] != values[distinct - 1]) {
                    values[distinct++] = values[i];
                }
            }
            size = distinct;
        }

        public TimeCoverage build() {
            sortDistinct();
            return new TimeCoverage(Arrays.copyOf(values, size), quantum, min, max);
        }
    }
}
