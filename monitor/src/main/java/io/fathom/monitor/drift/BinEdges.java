package io.fathom.monitor.drift;

import java.util.Arrays;
import java.util.Objects;

/**
 * Frozen histogram bins of a numeric feature, given by their sorted, distinct, finite inner edges.
 * With k inner edges there are k + 1 bins: bin 0 is the underflow bin (below the first edge), bin k the
 * overflow bin (at or above the last edge). The bin rule (docs/semantics.md): a value falls in bin i where i is
 * the number of inner edges {@code <=} the value, so each edge is the closed lower bound of the bin
 * above it.
 *
 * <p>{@link #equalFrequency} freezes the edges of a baseline: the exact type-7 quantiles (numpy's
 * default) of the reference values at {@code 1/B, 2/B, ..., (B-1)/B}, with duplicates removed, which a
 * feature with few distinct values or a heavy atom produces.
 */
public final class BinEdges {
    /** The default number of equal-frequency bins of a baseline (before under/overflow are counted). */
    public static final int DEFAULT_BINS = 10;

    private final double[] inner;

    private BinEdges(double[] inner) {
        this.inner = inner;
    }

    /** Bins with these inner edges, which must be finite, strictly increasing (and may be none). */
    public static BinEdges of(double... innerEdges) {
        Objects.requireNonNull(innerEdges, "innerEdges");
        double[] copy = innerEdges.clone();
        for (int i = 0; i < copy.length; i++) {
            if (!Double.isFinite(copy[i])) {
                throw new IllegalArgumentException("inner edge " + i + " is not finite: " + copy[i]);
            }
            if (i > 0 && !(copy[i] > copy[i - 1])) {
                throw new IllegalArgumentException("inner edges must increase strictly, but edge " + i + " is "
                        + copy[i] + " after " + copy[i - 1]);
            }
        }
        return new BinEdges(copy);
    }

    /**
     * Edges of {@code bins} equal-frequency bins of {@code sortedValues} (ascending, finite): the type-7
     * quantiles at {@code j/bins} for j in 1..bins-1, deduplicated. No values give no edges (one bin).
     */
    public static BinEdges equalFrequency(double[] sortedValues, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, was " + bins);
        }
        if (sortedValues.length == 0) {
            return new BinEdges(new double[0]);
        }
        double step = 1.0 / bins; // p_j = j * step, as numpy.linspace(0, 1, bins + 1) computes it
        double[] edges = new double[bins - 1];
        for (int j = 1; j < bins; j++) {
            edges[j - 1] = Quantiles.linear(sortedValues, j * step) + 0.0; // + 0.0 turns -0.0 into 0.0
        }
        Arrays.sort(edges);
        return of(Arrays.stream(edges).distinct().toArray());
    }

    /** The inner edges (a copy). */
    public double[] innerEdges() {
        return inner.clone();
    }

    /** The number of bins, under- and overflow included: inner edges + 1. */
    public int binCount() {
        return inner.length + 1;
    }

    /** The bin of a value (not NaN): the number of inner edges {@code <=} it. */
    public int index(double value) {
        int low = 0;
        int high = inner.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (inner[mid] <= value) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Counts of the values (NaN skipped) in each bin. */
    public long[] counts(double[] values) {
        long[] counts = new long[binCount()];
        for (double v : values) {
            if (!Double.isNaN(v)) {
                counts[index(v)]++;
            }
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinEdges other && Arrays.equals(inner, other.inner);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inner);
    }

    @Override
    public String toString() {
        return "BinEdges" + Arrays.toString(inner);
    }
}
