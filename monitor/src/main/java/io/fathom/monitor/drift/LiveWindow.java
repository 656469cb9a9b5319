package io.fathom.monitor.drift;

import io.fathom.monitor.MonitorException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.datasketches.common.SketchesException;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The live values of one feature in one window (one per view, feature and window): counts in the
 * baseline's frozen bins or categories, a KLL sketch for numeric features, the null count and the
 * number n of non-null values. Mutable and not thread-safe, like a Kafka Streams aggregate; windows
 * over the same baseline feature merge ({@link #merge}), so partial windows can be combined in any
 * order.
 *
 * <p>A null, a NaN or an infinity counts as a null, as in {@link Baseline}. A categorical value
 * outside the baseline's categories counts as {@link Baseline#OTHER}.
 */
public abstract sealed class LiveWindow permits LiveWindow.Numeric, LiveWindow.Categorical {
    private final String feature;
    final long[] counts;
    long n;
    long nulls;

    private LiveWindow(String feature, int bins) {
        this.feature = feature;
        this.counts = new long[bins];
    }

    /** An empty window binned like {@code reference}, with a sketch of the same accuracy. */
    public static LiveWindow of(Baseline.Feature reference) {
        Objects.requireNonNull(reference, "reference");
        if (reference instanceof Baseline.Numeric numeric) {
            return new Numeric(numeric.name(), numeric.edges(), numeric.sketch().getK());
        }
        return new Categorical((Baseline.Categorical) reference);
    }

    /** An empty numeric window with these frozen bins and a KLL sketch of accuracy {@code sketchK}. */
    public static Numeric numeric(String feature, BinEdges edges, int sketchK) {
        return new Numeric(feature, edges, sketchK);
    }

    /** The feature's name. */
    public String feature() {
        return feature;
    }

    /** The number of non-null values. */
    public long n() {
        return n;
    }

    /** The number of nulls. */
    public long nulls() {
        return nulls;
    }

    /** The counts per bin, or per baseline category and then other (a copy). */
    public long[] binCounts() {
        return counts.clone();
    }

    /** Counts a null. */
    public void addNull() {
        nulls++;
    }

    /**
     * Adds a value as it comes from a snapshot: null is a null; a numeric window takes a {@link Number}
     * and a categorical window a {@link CharSequence} (or anything else, by its {@code toString()}).
     *
     * @throws IllegalArgumentException for a value that is not a number in a numeric window
     */
    public abstract void add(Object value);

    /** Adds every count of {@code other}, which must be binned like this window; returns this window. */
    public abstract LiveWindow merge(LiveWindow other);

    void mergeCounts(LiveWindow other) {
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        n += other.n;
        nulls += other.nulls;
    }

    /** A numeric feature's window: bins and a KLL sketch. */
    public static final class Numeric extends LiveWindow {
        private final BinEdges edges;
        private final KllDoublesSketch sketch;

        private Numeric(String feature, BinEdges edges, int sketchK) {
            this(feature, edges, KllDoublesSketch.newHeapInstance(sketchK));
        }

        private Numeric(String feature, BinEdges edges, KllDoublesSketch sketch) {
            super(Objects.requireNonNull(feature, "feature"), edges.binCount());
            this.edges = edges;
            this.sketch = sketch;
        }

        /** Adds a value; NaN and infinities are nulls. */
        public void add(double value) {
            if (!Double.isFinite(value)) {
                nulls++;
                return;
            }
            counts[edges.index(value)]++;
            sketch.update(value);
            n++;
        }

        @Override
        public void add(Object value) {
            if (value == null) {
                nulls++;
            } else if (value instanceof Number number) {
                add(number.doubleValue());
            } else {
                throw new IllegalArgumentException("feature " + feature() + " is numeric but got a "
                        + value.getClass().getSimpleName() + ": " + value);
            }
        }

        /** The frozen bins. */
        public BinEdges edges() {
            return edges;
        }

        /** The window's sketch; read it, do not update it. */
        public KllDoublesSketch sketch() {
            return sketch;
        }

        @Override
        public Numeric merge(LiveWindow other) {
            if (!(other instanceof Numeric that) || !feature().equals(that.feature()) || !edges.equals(that.edges)) {
                throw new MonitorException("cannot merge " + describe(other) + " into the numeric window of "
                        + feature() + " with " + edges);
            }
            mergeCounts(that);
            sketch.merge(that.sketch);
            return this;
        }
    }

    /** A categorical feature's window: counts per baseline category and other. */
    public static final class Categorical extends LiveWindow {
        private final Baseline.Categorical reference;
        private final Map<String, Integer> index = new HashMap<>();

        private Categorical(Baseline.Categorical reference) {
            super(reference.name(), reference.categories().size() + 1);
            this.reference = reference;
            int i = 0;
            for (String category : reference.categories().keySet()) {
                index.put(category, i++);
            }
        }

        /** Adds a value; null is a null, an unknown value counts as other. */
        public void add(String value) {
            if (value == null) {
                nulls++;
                return;
            }
            counts[index.getOrDefault(value, counts.length - 1)]++;
            n++;
        }

        @Override
        public void add(Object value) {
            add(value == null ? null : value.toString());
        }

        @Override
        public Categorical merge(LiveWindow other) {
            if (!(other instanceof Categorical that)
                    || !feature().equals(that.feature())
                    || !reference
                            .categories()
                            .keySet()
                            .equals(that.reference.categories().keySet())) {
                throw new MonitorException(
                        "cannot merge " + describe(other) + " into the categorical window of " + feature()
                                + " with categories " + reference.categories().keySet());
            }
            mergeCounts(that);
            return this;
        }
    }

    /**
     * A compact binary form for a state store: a format byte, the kind, the bin counts, n, nulls and
     * (numeric) the KLL sketch's own serialization. The bins themselves are not written: they are the
     * baseline's, so {@link #fromBytes} takes the same baseline feature.
     */
    public byte[] toBytes() {
        byte[] sketchBytes = this instanceof Numeric numeric ? numeric.sketch.toByteArray() : new byte[0];
        ByteBuffer buffer = ByteBuffer.allocate(2 + 4 + 8 * counts.length + 16 + 4 + sketchBytes.length);
        buffer.put(FORMAT).put(this instanceof Numeric ? NUMERIC : CATEGORICAL).putInt(counts.length);
        for (long count : counts) {
            buffer.putLong(count);
        }
        buffer.putLong(n).putLong(nulls).putInt(sketchBytes.length).put(sketchBytes);
        return buffer.array();
    }

    /**
     * Reads {@link #toBytes()} back for the same baseline feature.
     *
     * @throws MonitorException if the bytes are not a window of this feature's kind and bin count
     */
    public static LiveWindow fromBytes(Baseline.Feature reference, byte[] bytes) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(bytes, "bytes");
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            byte format = buffer.get();
            byte kind = buffer.get();
            int bins = buffer.getInt();
            byte expectedKind = reference instanceof Baseline.Numeric ? NUMERIC : CATEGORICAL;
            if (format != FORMAT || kind != expectedKind || bins != reference.binCounts().length) {
                throw new MonitorException("stored window (format " + format + ", kind " + kind + ", " + bins
                        + " bins) does not match the baseline of " + reference.name());
            }
            long[] counts = new long[bins];
            for (int i = 0; i < bins; i++) {
                counts[i] = buffer.getLong();
            }
            long n = buffer.getLong();
            long nulls = buffer.getLong();
            byte[] sketchBytes = new byte[buffer.getInt()];
            buffer.get(sketchBytes);
            LiveWindow window = reference instanceof Baseline.Numeric numeric
                    ? new Numeric(numeric.name(), numeric.edges(), KllDoublesSketch.heapify(Memory.wrap(sketchBytes)))
                    : new Categorical((Baseline.Categorical) reference);
            System.arraycopy(counts, 0, window.counts, 0, bins);
            window.n = n;
            window.nulls = nulls;
            return window;
        } catch (BufferUnderflowException | IllegalArgumentException | SketchesException e) {
            throw new MonitorException("cannot read a stored window of " + reference.name(), e);
        }
    }

    private static final byte FORMAT = 1;
    private static final byte NUMERIC = 0;
    private static final byte CATEGORICAL = 1;

    private static String describe(LiveWindow window) {
        return window == null
                ? "null"
                : window.getClass().getSimpleName().toLowerCase() + " window of " + window.feature();
    }
}
