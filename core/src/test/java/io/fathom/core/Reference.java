package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The semantics of docs/semantics.md computed by brute force over raw events, with no tiles: the reference
 * the aggregator is checked against.
 */
final class Reference {
    private Reference() {}

    /** One raw event; its fields hold Long, Double, String, Boolean or null. */
    record Event(long ts, Map<String, Object> fields) {
        Event {
            Objects.requireNonNull(fields, "fields");
        }
    }

    /** Whether the aggregator must reject an event at {@code ts} as late, given the latest accepted time. */
    static boolean isLate(ViewDefinition view, long latest, long ts) {
        return latest != Long.MIN_VALUE && ts < latest - view.allowedLateness().toMillis();
    }

    /** The feature values at {@code t} over the accepted events, in the order they were added. */
    static Map<String, Object> evaluate(ViewDefinition view, List<Event> accepted, long t) {
        long g = view.granularity().toMillis();
        Map<String, Object> values = new LinkedHashMap<>();
        for (FeatureDefinition feature : view.features()) {
            List<Event> events = new ArrayList<>();
            for (Event event : accepted) {
                boolean inWindow = feature.window()
                        .map(w -> event.ts() >= Math.floorDiv(t - w.toMillis(), g) * g && event.ts() <= t)
                        .orElse(true);
                if (inWindow) {
                    events.add(event);
                }
            }
            values.put(feature.name(), aggregate(feature, events));
        }
        return values;
    }

    private static Object aggregate(FeatureDefinition feature, List<Event> events) {
        if (feature.field().isEmpty()) {
            return (long) events.size();
        }
        String field = feature.field().get();
        List<Event> withValue =
                events.stream().filter(e -> e.fields().get(field) != null).toList();
        List<Double> numbers = withValue.stream()
                .map(e -> e.fields().get(field))
                .filter(Number.class::isInstance)
                .map(v -> ((Number) v).doubleValue())
                .toList();
        int n = withValue.size();
        switch (feature.aggregation()) {
            case SUM:
                return numbers.stream().mapToDouble(Double::doubleValue).sum();
            case MEAN:
                return n == 0
                        ? null
                        : numbers.stream().mapToDouble(Double::doubleValue).sum() / n;
            case MIN:
                return numbers.stream().reduce(Math::min).orElse(null);
            case MAX:
                return numbers.stream().reduce(Math::max).orElse(null);
            case STDDEV:
                if (n < 2) {
                    return null;
                }
                double mean = numbers.stream().mapToDouble(Double::doubleValue).sum() / n;
                double squares = numbers.stream()
                        .mapToDouble(x -> (x - mean) * (x - mean))
                        .sum();
                return Math.sqrt(squares / (n - 1));
            case COUNT_DISTINCT:
                if (n == 0) {
                    return null;
                }
                Set<Object> distinct = new HashSet<>();
                withValue.forEach(e -> distinct.add(distinctKey(e.fields().get(field))));
                return (long) distinct.size();
            case FIRST:
                Event first = null;
                for (Event e : withValue) {
                    if (first == null || e.ts() < first.ts()) {
                        first = e;
                    }
                }
                return first == null ? null : first.fields().get(field);
            case LAST:
                Event last = null;
                for (Event e : withValue) {
                    if (last == null || e.ts() >= last.ts()) {
                        last = e;
                    }
                }
                return last == null ? null : last.fields().get(field);
            default:
                throw new IllegalStateException("unexpected " + feature);
        }
    }

    /** Values count as one when they are the same integer, the same double, or the same text. */
    private static Object distinctKey(Object value) {
        if (value instanceof Double d && d == Math.rint(d)) {
            return d.longValue();
        }
        if (value instanceof Boolean || value instanceof String) {
            return "text:" + value;
        }
        return value;
    }

    /** Asserts that evaluated values equal the reference: doubles within 1e-9 relative, the rest exactly. */
    static void assertMatches(Map<String, Object> actual, Map<String, Object> expected, Object context) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, want) -> {
            Object got = actual.get(name);
            String what = name + " (" + context + "): got " + got + ", expected " + want;
            if (want instanceof Double wanted && got instanceof Double value && !(wanted.equals(value))) {
                assertThat(Math.abs(value - wanted))
                        .as(what)
                        .isLessThanOrEqualTo(1e-9 * Math.max(1.0, Math.abs(wanted)));
            } else {
                assertThat(got).as(what).isEqualTo(want);
            }
        });
    }
}
