package io.fathom.testkit;

import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The feature values of docs/semantics.md's rules computed the slow, obvious way from raw events, with no
 * tiles: for a window W at time t, take every event with time in [floor((t - W) / g) * g, t] and aggregate
 * it. The one reference the tests hold core's aggregator and the pipeline (ingest, online reads, training
 * sets) to; it is written independently of core, and the build keeps it so: the testkit does not depend on
 * core.
 *
 * <p>As core's README specifies: over an empty window count and sum are 0 and every other aggregation is
 * null; stddev is the sample standard deviation; null and missing values are ignored by field aggregations;
 * first and last go by event time, and on equal times by the order the events were added; count_distinct
 * counts {@code 42} and {@code 42.0} as one value, and a boolean as its text.
 */
public final class BruteForce {
    /**
     * A raw event: its time, its position in the input (the order it was added in, for ties), and its fields,
     * holding {@code Long}, {@code Double}, {@code String}, {@code Boolean} or null.
     */
    public record Event(long ts, long sequence, Map<String, Object> fields) {
        public Event {
            Objects.requireNonNull(fields, "fields");
        }
    }

    private BruteForce() {}

    /** What a view task goes through, in order: events arriving, and looks at its watermark between them. */
    public sealed interface TaskInput permits Arrival, Look {
        /** When, by the task's clock. */
        long at();
    }

    /** An event arriving at a view task: the source partition it was read from, its event time, when it arrived. */
    public record Arrival(int partition, long eventTs, long at) implements TaskInput {}

    /** A look at the watermark between arrivals. */
    public record Look(long at) implements TaskInput {}

    /**
     * The watermark of docs/semantics.md ("Event time and arrival order") that a view task has reached after
     * {@code inputs}, worked out from scratch. The watermark is looked at after each arrival and at each {@link
     * Look}. A look at time m, over the arrivals before it, gives the smallest greatest event time of the partitions
     * that sent within the idle timeout before m, counting the known partitions ({@code 0} to {@code partitions -
     * 1}) not heard from yet as having sent nothing at {@code startedAt}; with {@code partitions == 0} (not known), a
     * look within the idle timeout of {@code startedAt} gives nothing, since any partition might still send. The
     * watermark is the greatest of what the looks gave and {@code restored}: it never goes back.
     */
    public static long watermark(
            List<TaskInput> inputs, int partitions, long startedAt, Duration idleTimeout, long restored) {
        long idle = idleTimeout.toMillis();
        long watermark = restored;
        for (int look = 0; look < inputs.size(); look++) {
            long at = inputs.get(look).at();
            if (partitions == 0 && at - startedAt < idle) {
                continue;
            }
            Map<Integer, Long> greatest = new HashMap<>();
            Map<Integer, Long> lastSent = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                greatest.put(p, Long.MIN_VALUE);
                lastSent.put(p, startedAt);
            }
            for (TaskInput input : inputs.subList(0, look + 1)) {
                if (input instanceof Arrival arrival) {
                    greatest.merge(arrival.partition(), arrival.eventTs(), Math::max);
                    lastSent.put(arrival.partition(), arrival.at());
                }
            }
            Optional<Long> smallest = greatest.keySet().stream()
                    .filter(p -> at - lastSent.get(p) < idle)
                    .map(greatest::get)
                    .min(Long::compare);
            if (smallest.isPresent()) {
                watermark = Math.max(watermark, smallest.get());
            }
        }
        return watermark;
    }

    /**
     * Whether an event at {@code ts} is late for a view whose watermark is at {@code watermark} (for an entity's
     * own events alone, its latest accepted event): more than the allowed lateness behind it. {@link
     * Long#MIN_VALUE}: no watermark yet, nothing is late.
     */
    public static boolean isLate(ViewDefinition view, long watermark, long ts) {
        return watermark != Long.MIN_VALUE
                && ts < watermark - view.allowedLateness().toMillis();
    }

    /** The view's feature values at {@code t} over {@code events}, in the order of the view's features. */
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
            case COUNT_DISTINCT -> withValue.isEmpty()
                    ? null
                    : (long) new HashSet<>(withValue.stream()
                                    .map(e -> distinctKey(e.fields().get(field)))
                                    .toList())
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

    /**
     * Whether a computed value equals the reference exactly: two doubles to 1e-9 relative, anything else
     * (types included) by {@code equals}. For core's own values, whose distinct counts are exact.
     */
    public static boolean matchesExactly(Object expected, Object actual) {
        if (expected instanceof Double e && actual instanceof Double a) {
            return closeEnough(e, a);
        }
        return Objects.equals(expected, actual);
    }

    /**
     * Whether a value the pipeline computed (and stored, perhaps as another number type) matches the
     * reference: numbers to 1e-9 relative, distinct counts to the sketch's error (5%, at least 1).
     */
    public static boolean matches(FeatureDefinition feature, Object expected, Object actual) {
        if (expected == null || actual == null) {
            return Objects.equals(expected, actual);
        }
        return switch (feature.aggregation()) {
            case SUM, MEAN, MIN, MAX, STDDEV -> closeEnough(
                    ((Number) expected).doubleValue(), ((Number) actual).doubleValue());
            case COUNT_DISTINCT -> {
                long e = (Long) expected;
                long a = ((Number) actual).longValue();
                yield Math.abs(e - a) <= Math.max(1, Math.round(0.05 * e));
            }
            default -> Objects.equals(expected, actual);
        };
    }

    private static boolean closeEnough(double expected, double actual) {
        return expected == actual || Math.abs(expected - actual) <= 1e-9 * Math.max(1.0, Math.abs(expected));
    }
}
