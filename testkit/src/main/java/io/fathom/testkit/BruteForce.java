package io.fathom.testkit;

import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The feature values of docs/semantics.md's rules computed the slow, obvious way from raw events: for a
 * window W at time t, take every event with time in [floor((t - W) / g) * g, t] and aggregate it.
 * Written independently of core, so tests can hold the pipeline (ingest, online reads, training sets) to it.
 */
public final class BruteForce {
    /** A raw event: its time, its position in the input (for ties), and its fields. */
    public record Event(long ts, long sequence, Map<String, Object> fields) {}

    private BruteForce() {}

    public static Map<String, Object> evaluate(ViewDefinition view, List<Event> events, long t) {
        long g = view.granularity().toMillis();
        Map<String, Object> values = new LinkedHashMap<>();
        for (FeatureDefinition feature : view.features()) {
            long from = feature.window()
                    .map(w -> Math.floorDiv(t - w.toMillis(), g) * g)
                    .orElse(Long.MIN_VALUE);
            List<Event> inWindow =
                    events.stream().filter(e -> e.ts() >= from && e.ts() <= t).toList();
            values.put(feature.name(), aggregate(feature, inWindow));
        }
        return values;
    }

    private static Object aggregate(FeatureDefinition feature, List<Event> events) {
        String field = feature.field().orElse(null);
        List<Event> withValue = field == null
                ? events
                : events.stream().filter(e -> e.fields().get(field) != null).toList();
        List<Double> numbers = new ArrayList<>();
        if (feature.aggregation().numeric()) {
            withValue.forEach(e -> numbers.add(((Number) e.fields().get(field)).doubleValue()));
        }
        return switch (feature.aggregation()) {
            case COUNT -> (long) events.size();
            case SUM -> numbers.stream().mapToDouble(Double::doubleValue).sum();
            case MEAN -> numbers.isEmpty()
                    ? null
                    : numbers.stream()
                            .mapToDouble(Double::doubleValue)
                            .average()
                            .orElseThrow();
            case MIN -> numbers.stream().min(Double::compare).orElse(null);
            case MAX -> numbers.stream().max(Double::compare).orElse(null);
            case STDDEV -> stddev(numbers);
            case COUNT_DISTINCT -> (long) new HashSet<>(
                            withValue.stream().map(e -> e.fields().get(field)).toList())
                    .size();
            case LAST -> withValue.stream()
                    .max(Comparator.comparingLong(Event::ts).thenComparingLong(Event::sequence))
                    .map(e -> e.fields().get(field))
                    .orElse(null);
            case FIRST -> withValue.stream()
                    .min(Comparator.comparingLong(Event::ts).thenComparingLong(Event::sequence))
                    .map(e -> e.fields().get(field))
                    .orElse(null);
        };
    }

    private static Double stddev(List<Double> xs) {
        if (xs.size() < 2) {
            return null;
        }
        double mean = xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double squares = xs.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
        return Math.sqrt(squares / (xs.size() - 1));
    }

    /** Whether a computed value matches the reference: doubles to 1e-9 relative, distinct counts to the sketch's error. */
    public static boolean matches(FeatureDefinition feature, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return Objects.equals(expected, actual);
        }
        return switch (feature.aggregation()) {
            case SUM, MEAN, MIN, MAX, STDDEV -> {
                double e = ((Number) expected).doubleValue();
                double a = ((Number) actual).doubleValue();
                yield Math.abs(e - a) <= 1e-9 * Math.max(1.0, Math.abs(e));
            }
            case COUNT_DISTINCT -> {
                long e = (Long) expected;
                long a = ((Number) actual).longValue();
                yield Math.abs(e - a) <= Math.max(1, Math.round(0.05 * e));
            }
            default -> Objects.equals(expected, actual);
        };
    }
}
