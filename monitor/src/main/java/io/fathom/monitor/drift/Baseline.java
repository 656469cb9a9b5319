package io.fathom.monitor.drift;

import io.fathom.schemas.RecordComponents;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * What "normal" looks like for the features of one view, frozen from a training set: per numeric
 * feature the bin edges, reference counts, a KLL sketch and moments; per categorical feature the
 * category frequencies (top N plus {@value #OTHER}). Live windows are binned with these frozen edges
 * and categories and compared with them (docs/semantics.md, "Drift statistics").
 *
 * <p>Stored as versioned JSON ({@link #toJson()}, {@link #fromJson(String)}; {@code "version": 1}),
 * which round-trips exactly: doubles are written in their shortest exact form and the sketch as the
 * Base64 of its serialized bytes. Features keep the order in which they were added.
 *
 * <p>Nulls: a missing value, NaN, or an infinity is a null. Statistics are over the non-null values;
 * {@link Feature#count()} is their number, {@link Feature#nulls()} the number of nulls.
 */
public record Baseline(int version, Instant created, String view, String source, Map<String, Feature> features) {
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** The category that collects every value outside a categorical feature's top N. */
    public static final String OTHER = "__other__";
    /** The default number of most frequent categories kept per categorical feature. */
    public static final int DEFAULT_TOP_CATEGORIES = 20;
    /** The default KLL accuracy parameter: about 1.33% normalized rank error, 5 KB serialized. */
    public static final int DEFAULT_SKETCH_K = 200;

    public Baseline {
        if (version != VERSION) {
            throw new IllegalArgumentException("version must be " + VERSION + ", was " + version);
        }
        RecordComponents.requireNonNull(Baseline.class, version, created, view, source, features);
        if (view.isBlank()) {
            throw new IllegalArgumentException("view must not be blank");
        }
        Map<String, Feature> copy = new LinkedHashMap<>();
        features.forEach((name, feature) -> {
            Objects.requireNonNull(feature, () -> "feature " + name);
            if (!name.equals(feature.name())) {
                throw new IllegalArgumentException("feature " + feature.name() + " is filed under the name " + name);
            }
            copy.put(name, feature);
        });
        features = Collections.unmodifiableMap(copy);
    }

    /** The feature of this name, if the baseline has it. */
    public Optional<Feature> feature(String name) {
        return Optional.ofNullable(features.get(name));
    }

    /** A builder that stamps the baseline with {@code clock.instant()}. */
    public static Builder builder(String view, String source, Clock clock) {
        return new Builder(view, source, clock);
    }

    /** The baseline as versioned JSON. */
    public String toJson() {
        return BaselineJson.write(this);
    }

    /**
     * Reads a baseline written by {@link #toJson()}.
     *
     * @throws InvalidBaselineException naming the field (e.g. {@code features[2].bin_counts}) that is
     *     missing, of the wrong type, or inconsistent
     */
    public static Baseline fromJson(String json) {
        return BaselineJson.read(json);
    }

    /** One feature's reference distribution. */
    public sealed interface Feature permits Numeric, Categorical {
        /** The feature's name in its view. */
        String name();

        /** The number of non-null values. */
        long count();

        /** The number of nulls (missing, NaN or infinite values). */
        long nulls();

        /** The reference counts per bin (numeric) or per category, {@value #OTHER} last (categorical). */
        long[] binCounts();

        /** The fraction of values that were null; NaN when there were none at all. */
        default double nullRate() {
            long total = count() + nulls();
            return total == 0 ? Double.NaN : (double) nulls() / total;
        }
    }

    /**
     * A numeric feature: frozen bins with their reference counts, a serialized KLL sketch, the mean,
     * the population (ddof 0) and sample (ddof 1) standard deviations, min and max of the non-null
     * values. Moments are NaN when undefined (no values; the sample deviation below two).
     */
    public record Numeric(
            String name,
            long count,
            long nulls,
            BinEdges edges,
            long[] binCounts,
            byte[] sketchBytes,
            double mean,
            double populationStd,
            double sampleStd,
            double min,
            double max)
            implements Feature {
        public Numeric {
            requireName(name);
            requireCounts(name, count, nulls);
            Objects.requireNonNull(edges, "edges");
            Objects.requireNonNull(binCounts, "binCounts");
            Objects.requireNonNull(sketchBytes, "sketchBytes");
            binCounts = binCounts.clone();
            sketchBytes = sketchBytes.clone();
            if (binCounts.length != edges.binCount()) {
                throw new IllegalArgumentException("feature " + name + " has " + binCounts.length + " bin counts for "
                        + edges.binCount() + " bins");
            }
            requireTotal(name, binCounts, count);
            KllDoublesSketch sketch;
            try {
                sketch = KllDoublesSketch.wrap(Memory.wrap(sketchBytes));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "feature " + name + " has a sketch that does not read: " + e.getMessage(), e);
            }
            if (sketch.getN() != count) {
                throw new IllegalArgumentException(
                        "feature " + name + " has a sketch of " + sketch.getN() + " values for a count of " + count);
            }
        }

        /** Summarises the values of one column (NaN and infinities are nulls). */
        public static Numeric of(String name, double[] values, int bins, int sketchK) {
            requireName(name);
            Objects.requireNonNull(values, "values");
            double[] finite = Arrays.stream(values).filter(Double::isFinite).toArray();
            long nulls = values.length - finite.length;
            Arrays.sort(finite);
            BinEdges edges = BinEdges.equalFrequency(finite, bins);
            KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(sketchK);
            double sum = 0;
            for (double v : finite) {
                sketch.update(v);
                sum += v;
            }
            int n = finite.length;
            double mean = n == 0 ? Double.NaN : sum / n;
            double squares = 0;
            for (double v : finite) {
                double d = v - mean;
                squares += d * d;
            }
            return new Numeric(
                    name,
                    n,
                    nulls,
                    edges,
                    edges.counts(finite),
                    sketch.toByteArray(),
                    mean,
                    n == 0 ? Double.NaN : Math.sqrt(squares / n),
                    n < 2 ? Double.NaN : Math.sqrt(squares / (n - 1)),
                    n == 0 ? Double.NaN : finite[0],
                    n == 0 ? Double.NaN : finite[n - 1]);
        }

        @Override
        public long[] binCounts() {
            return binCounts.clone();
        }

        @Override
        public byte[] sketchBytes() {
            return sketchBytes.clone();
        }

        /** The reference sketch, a read-only view of {@link #sketchBytes()}. */
        public KllDoublesSketch sketch() {
            return KllDoublesSketch.wrap(Memory.wrap(sketchBytes));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Numeric other
                    && name.equals(other.name)
                    && count == other.count
                    && nulls == other.nulls
                    && edges.equals(other.edges)
                    && Arrays.equals(binCounts, other.binCounts)
                    && Arrays.equals(sketchBytes, other.sketchBytes)
                    && Double.compare(mean, other.mean) == 0
                    && Double.compare(populationStd, other.populationStd) == 0
                    && Double.compare(sampleStd, other.sampleStd) == 0
                    && Double.compare(min, other.min) == 0
                    && Double.compare(max, other.max) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, count, nulls, edges, Arrays.hashCode(binCounts), mean, populationStd);
        }

        @Override
        public String toString() {
            return "Numeric[name=" + name + ", count=" + count + ", nulls=" + nulls + ", edges=" + edges
                    + ", binCounts=" + Arrays.toString(binCounts) + ", mean=" + mean + ", populationStd="
                    + populationStd + ", sampleStd=" + sampleStd + ", min=" + min + ", max=" + max + "]";
        }
    }

    /**
     * A categorical feature: the counts of its {@code topN} most frequent categories (most frequent
     * first, ties by value), and of all others together. A value that is not among the categories, in
     * the baseline or later in a live window, counts as other; so does a value spelled {@value #OTHER}.
     */
    public record Categorical(String name, long count, long nulls, int topN, Map<String, Long> categories, long other)
            implements Feature {
        public Categorical {
            requireName(name);
            requireCounts(name, count, nulls);
            if (topN < 1) {
                throw new IllegalArgumentException("feature " + name + " has topN " + topN + ", must be at least 1");
            }
            Objects.requireNonNull(categories, "categories");
            if (categories.size() > topN) {
                throw new IllegalArgumentException(
                        "feature " + name + " has " + categories.size() + " categories, more than its topN " + topN);
            }
            Map<String, Long> copy = new LinkedHashMap<>();
            categories.forEach((value, c) -> {
                Objects.requireNonNull(value, "category");
                if (value.equals(OTHER)) {
                    throw new IllegalArgumentException("feature " + name + " lists " + OTHER + " as a category");
                }
                if (c == null || c < 0) {
                    throw new IllegalArgumentException(
                            "feature " + name + " category " + value + " has count " + c + ", must be non-negative");
                }
                copy.put(value, c);
            });
            categories = Collections.unmodifiableMap(copy);
            if (other < 0) {
                throw new IllegalArgumentException(
                        "feature " + name + " has other count " + other + ", must be non-negative");
            }
            long sum = other;
            for (long c : categories.values()) {
                sum += c;
            }
            if (sum != count) {
                throw new IllegalArgumentException(
                        "feature " + name + " has category counts summing to " + sum + " for a count of " + count);
            }
        }

        /** Summarises the values of one column (null is a null). */
        public static Categorical of(String name, Collection<String> values, int topN) {
            requireName(name);
            Objects.requireNonNull(values, "values");
            if (topN < 1) {
                throw new IllegalArgumentException("topN must be at least 1, was " + topN);
            }
            Map<String, Long> frequencies = new HashMap<>();
            long nulls = 0;
            long reserved = 0;
            for (String v : values) {
                if (v == null) {
                    nulls++;
                } else if (v.equals(OTHER)) {
                    reserved++;
                } else {
                    frequencies.merge(v, 1L, Long::sum);
                }
            }
            List<Map.Entry<String, Long>> sorted = new ArrayList<>(frequencies.entrySet());
            sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()));
            Map<String, Long> top = new LinkedHashMap<>();
            long other = reserved;
            for (Map.Entry<String, Long> e : sorted) {
                if (top.size() < topN) {
                    top.put(e.getKey(), e.getValue());
                } else {
                    other += e.getValue();
                }
            }
            return new Categorical(name, values.size() - nulls, nulls, topN, top, other);
        }

        /** Counts per category in {@link #categories()} order, then other. */
        @Override
        public long[] binCounts() {
            long[] counts = new long[categories.size() + 1];
            int i = 0;
            for (long c : categories.values()) {
                counts[i++] = c;
            }
            counts[i] = other;
            return counts;
        }
    }

    /** Builds a baseline column by column; each column is summarised when added. */
    public static final class Builder {
        private final String view;
        private final String source;
        private final Clock clock;
        private final Map<String, Feature> features = new LinkedHashMap<>();
        private int bins = BinEdges.DEFAULT_BINS;
        private int topCategories = DEFAULT_TOP_CATEGORIES;
        private int sketchK = DEFAULT_SKETCH_K;

        private Builder(String view, String source, Clock clock) {
            this.view = Objects.requireNonNull(view, "view");
            this.source = Objects.requireNonNull(source, "source");
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        /** Equal-frequency bins per numeric feature added after this (default 10; fewer when deduplicated). */
        public Builder bins(int bins) {
            if (bins < 1) {
                throw new IllegalArgumentException("bins must be at least 1, was " + bins);
            }
            this.bins = bins;
            return this;
        }

        /** Categories kept per categorical feature added after this (default 20). */
        public Builder topCategories(int topCategories) {
            if (topCategories < 1) {
                throw new IllegalArgumentException("topCategories must be at least 1, was " + topCategories);
            }
            this.topCategories = topCategories;
            return this;
        }

        /** The KLL accuracy parameter k of numeric features added after this (default 200). */
        public Builder sketchK(int sketchK) {
            if (sketchK < 8 || sketchK > 65535) {
                throw new IllegalArgumentException("sketchK must be in [8, 65535], was " + sketchK);
            }
            this.sketchK = sketchK;
            return this;
        }

        /** A numeric column; NaN and infinities are nulls. */
        public Builder numeric(String name, double[] values) {
            return add(Numeric.of(name, values, bins, sketchK));
        }

        /** A numeric column; null, NaN and infinities are nulls. */
        public Builder numeric(String name, Collection<? extends Number> values) {
            Objects.requireNonNull(values, "values");
            double[] column = new double[values.size()];
            int i = 0;
            for (Number v : values) {
                column[i++] = v == null ? Double.NaN : v.doubleValue();
            }
            return numeric(name, column);
        }

        /** A categorical column; null is a null. */
        public Builder categorical(String name, Collection<String> values) {
            return add(Categorical.of(name, values, topCategories));
        }

        /** A feature summarised elsewhere. */
        public Builder add(Feature feature) {
            Objects.requireNonNull(feature, "feature");
            if (features.putIfAbsent(feature.name(), feature) != null) {
                throw new IllegalArgumentException("feature " + feature.name() + " was already added");
            }
            return this;
        }

        public Baseline build() {
            return new Baseline(VERSION, clock.instant(), view, source, features);
        }
    }

    private static void requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("feature name must not be blank");
        }
    }

    private static void requireCounts(String name, long count, long nulls) {
        if (count < 0 || nulls < 0) {
            throw new IllegalArgumentException(
                    "feature " + name + " has count " + count + " and nulls " + nulls + ", both must be non-negative");
        }
    }

    private static void requireTotal(String name, long[] binCounts, long count) {
        long sum = 0;
        for (int i = 0; i < binCounts.length; i++) {
            if (binCounts[i] < 0) {
                throw new IllegalArgumentException(
                        "feature " + name + " bin " + i + " has a negative count " + binCounts[i]);
            }
            sum += binCounts[i];
        }
        if (sum != count) {
            throw new IllegalArgumentException(
                    "feature " + name + " has bin counts summing to " + sum + " for a count of " + count);
        }
    }
}
