package io.fathom.core;

import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiled form of a {@link ViewDefinition}: the event fields it aggregates, the accumulator slots
 * each needs, its distinct windows, and its times in millis. Immutable and thread-safe; build one
 * per view and share it.
 */
public final class ViewPlan {
    private final ViewDefinition view;
    private final List<String> fields;
    private final List<FieldNeeds> needs;
    private final List<String> featureNames;
    private final List<FeatureSpec> features;
    private final long[] windowsMillis;
    private final int[][] featuresByWindow;
    private final int[] lifetimeFeatures;
    private final long granularityMillis;
    private final long retentionMillis;
    private final long ttlMillis;
    private final long allowedLatenessMillis;

    private ViewPlan(ViewDefinition view) {
        this.view = view;
        String where = "view " + view.name();
        this.granularityMillis = millis(view.granularity(), where + ": granularity");
        if (granularityMillis < 1) {
            throw new IllegalArgumentException(where + ": granularity must be at least 1ms, was " + view.granularity());
        }
        this.ttlMillis = millis(view.ttl(), where + ": ttl");
        this.allowedLatenessMillis = millis(view.allowedLateness(), where + ": allowed lateness");
        if (ttlMillis < 0 || allowedLatenessMillis < 0) {
            throw new IllegalArgumentException(where + ": ttl and allowed lateness must not be negative, were "
                    + view.ttl() + " and " + view.allowedLateness());
        }

        Map<String, FieldNeeds> needsByField = new LinkedHashMap<>();
        TreeSet<Long> windows = new TreeSet<>();
        Set<String> names = new HashSet<>();
        for (FeatureDefinition feature : view.features()) {
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException(where + ": feature " + feature.name() + " is defined twice");
            }
            feature.field()
                    .ifPresent(field -> needsByField.merge(
                            field,
                            FieldNeeds.NONE.with(
                                    feature.aggregation(), feature.window().isPresent()),
                            (old, ignored) -> old.with(
                                    feature.aggregation(), feature.window().isPresent())));
            if (feature.window().isPresent()) {
                long window = millis(feature.window().get(), where + ": feature " + feature.name() + ": window");
                if (window < 1) {
                    throw new IllegalArgumentException(
                            where + ": feature " + feature.name() + ": window must be at least 1ms, was "
                                    + feature.window().get());
                }
                windows.add(window);
            }
        }
        this.fields = List.copyOf(needsByField.keySet());
        this.needs = List.copyOf(needsByField.values());
        this.windowsMillis = windows.stream().mapToLong(Long::longValue).toArray();

        List<FeatureSpec> specs = new ArrayList<>(view.features().size());
        List<List<Integer>> byWindow = new ArrayList<>();
        for (int i = 0; i < windowsMillis.length; i++) {
            byWindow.add(new ArrayList<>());
        }
        List<Integer> lifetime = new ArrayList<>();
        for (FeatureDefinition feature : view.features()) {
            int field = feature.field().map(fields::indexOf).orElse(FeatureSpec.NONE);
            int window = feature.window()
                    .map(w -> Arrays.binarySearch(windowsMillis, w.toMillis()))
                    .orElse(FeatureSpec.NONE);
            (window == FeatureSpec.NONE ? lifetime : byWindow.get(window)).add(specs.size());
            specs.add(new FeatureSpec(feature.name(), feature.aggregation(), field, window));
        }
        this.features = List.copyOf(specs);
        this.featureNames = specs.stream().map(FeatureSpec::name).toList();
        this.featuresByWindow = byWindow.stream()
                .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        this.lifetimeFeatures = lifetime.stream().mapToInt(Integer::intValue).toArray();

        long longestWindow = windowsMillis.length == 0 ? 0 : windowsMillis[windowsMillis.length - 1];
        try {
            this.retentionMillis =
                    Math.addExact(Math.addExact(longestWindow, granularityMillis), allowedLatenessMillis);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    where + ": longest window + granularity + allowed lateness overflows", e);
        }
    }

    /** Compiles a view definition. */
    public static ViewPlan of(ViewDefinition view) {
        return new ViewPlan(Objects.requireNonNull(view, "view"));
    }

    public ViewDefinition view() {
        return view;
    }

    /**
     * The distinct event fields the view aggregates, in first-use order. Accumulator {@code i} of a tile
     * or of the lifetime accumulators belongs to {@code fields().get(i)}.
     */
    public List<String> fields() {
        return fields;
    }

    /** The feature names, in declaration order. */
    public List<String> featureNames() {
        return featureNames;
    }

    public long granularityMillis() {
        return granularityMillis;
    }

    /**
     * Longest window + granularity + allowed lateness: once the view's watermark is at {@code watermark}, tiles
     * with index {@code < floor((watermark - retention) / granularity)} may be dropped.
     */
    public long retentionMillis() {
        return retentionMillis;
    }

    public long ttlMillis() {
        return ttlMillis;
    }

    public long allowedLatenessMillis() {
        return allowedLatenessMillis;
    }

    /** The slots each field of {@link #fields()} needs, in the same order. */
    List<FieldNeeds> needs() {
        return needs;
    }

    /** The compiled features, in declaration order. */
    List<FeatureSpec> features() {
        return features;
    }

    /** The distinct windows, ascending. Do not modify. */
    long[] windowsMillis() {
        return windowsMillis;
    }

    /** Indexes into {@link #features()} of the features of each window of {@link #windowsMillis()}. Do not modify. */
    int[][] featuresByWindow() {
        return featuresByWindow;
    }

    /** Indexes into {@link #features()} of the features without a window. Do not modify. */
    int[] lifetimeFeatures() {
        return lifetimeFeatures;
    }

    @Override
    public String toString() {
        return "ViewPlan[" + view.name() + ", fields=" + fields + ", features=" + featureNames + ", granularity="
                + granularityMillis + "ms, retention=" + retentionMillis + "ms]";
    }

    private static long millis(Duration duration, String what) {
        try {
            long millis = duration.toMillis();
            if (!Duration.ofMillis(millis).equals(duration)) {
                throw new IllegalArgumentException(what + " must be whole milliseconds, was " + duration);
            }
            return millis;
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " is too long: " + duration, e);
        }
    }
}
