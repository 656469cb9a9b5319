package io.fathom.core;

import io.fathom.schemas.avro.FieldAccumulator;

/**
 * Partial aggregates of one event field, kept in an Avro {@code FieldAccumulator}: adding a value,
 * merging two accumulators, and reading the aggregations out.
 *
 * <p>Mean and variance use Welford's update for one value and, to merge, Chan, Golub and LeVeque's
 * parallel formula ("Updating formulae and a pairwise algorithm for computing sample variances",
 * 1979): with {@code d = mean_b - mean_a}, {@code n = n_a + n_b}, {@code mean = mean_a + d * n_b / n}
 * and {@code m2 = m2_a + m2_b + d^2 * n_a * n_b / n}; the sample standard deviation is {@code sqrt(m2
 * / (n - 1))}. Both are exact up to rounding and order-independent up to rounding. {@code min}/{@code
 * max} use {@link Math#min}/{@link Math#max}, so merging is commutative even for {@code -0.0}.
 * {@code first}/{@code last} keep the value with the smallest/greatest event time; on equal times
 * {@code first} keeps the earlier-added value and {@code last} takes the later-added one.
 *
 * <p>Only the slots named by {@link FieldNeeds} are touched; {@code count} (values seen) always is.
 * Merging is done by {@link Aggregate}. Distinct-count sketches are added to here but merged by
 * {@link WindowEvaluator} into one union per evaluation, never pairwise.
 */
final class Accumulators {
    private Accumulators() {}

    /** An accumulator with every slot at its default. */
    static FieldAccumulator empty() {
        return new FieldAccumulator(0L, 0.0, 0.0, 0.0, null, null, null, null, null, null, null);
    }

    /**
     * Adds one non-null value, already normalised (see {@link EventValues}); {@code number} is its
     * numeric value when {@code needs.numeric()}.
     */
    static void add(FieldAccumulator acc, FieldNeeds needs, long ts, Object value, double number) {
        long n = acc.getCount() + 1;
        acc.setCount(n);
        if (needs.moments()) {
            double delta = number - acc.getMean();
            double mean = acc.getMean() + delta / n;
            acc.setMean(mean);
            acc.setM2(acc.getM2() + delta * (number - mean));
        }
        if (needs.sum()) {
            acc.setSum(acc.getSum() + number);
        }
        if (needs.min()) {
            Double min = acc.getMin();
            double updated = min == null ? number : Math.min(min, number);
            if (min == null || changed(min, updated)) {
                acc.setMin(updated);
            }
        }
        if (needs.max()) {
            Double max = acc.getMax();
            double updated = max == null ? number : Math.max(max, number);
            if (max == null || changed(max, updated)) {
                acc.setMax(updated);
            }
        }
        if (needs.distinct()) {
            acc.setDistinct(DistinctSketches.add(acc.getDistinct(), value));
        }
        addFirstLast(acc, needs.first(), needs.last(), ts, value);
    }

    /** Adds one non-null value to the lifetime accumulator of a field. */
    static void addLifetime(FieldAccumulator acc, FieldNeeds needs, long ts, Object value) {
        acc.setCount(acc.getCount() + 1);
        addFirstLast(acc, needs.lifetimeFirst(), needs.lifetimeLast(), ts, value);
    }

    private static void addFirstLast(FieldAccumulator acc, boolean first, boolean last, long ts, Object value) {
        if (first && (acc.getFirstTs() == null || ts < acc.getFirstTs())) {
            acc.setFirstTs(ts);
            acc.setFirst(value);
        }
        if (last && (acc.getLastTs() == null || ts >= acc.getLastTs())) {
            acc.setLastTs(ts);
            acc.setLast(value);
        }
    }

    /**
     * Merges {@code other} into {@code target}, all slots but {@code distinct} (see {@link Aggregate},
     * which holds the merge rule). {@code otherIsLater} says whether {@code other}'s values were added
     * after {@code target}'s, which decides ties of {@code first}/{@code last}.
     */
    static void merge(FieldAccumulator target, FieldAccumulator other, FieldNeeds needs, boolean otherIsLater) {
        Aggregate aggregate = Aggregate.of(target);
        aggregate.merge(other, needs, otherIsLater);
        aggregate.writeTo(target);
    }

    /** A stored first/last value as Fathom's value types (Avro may hand back {@code Utf8} for strings). */
    static Object value(Object stored) {
        return stored instanceof CharSequence text && !(stored instanceof String) ? text.toString() : stored;
    }

    /** Bitwise comparison, so that a min of {@code 0.0} does change to {@code -0.0}; saves boxing otherwise. */
    private static boolean changed(Double old, double updated) {
        return Double.doubleToRawLongBits(old) != Double.doubleToRawLongBits(updated);
    }
}
