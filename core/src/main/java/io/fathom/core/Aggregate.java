package io.fathom.core;

import io.fathom.schemas.avro.FieldAccumulator;

/**
 * A mutable, unboxed merge of field accumulators: what {@link WindowEvaluator} accumulates tile by
 * tile, and what {@link Accumulators#merge} uses, so that there is one merge rule. The rules are
 * those of {@link Accumulators}: Chan et al.'s parallel formula for mean and m2, {@link Math#min}/
 * {@link Math#max}, and first/last by event time with ties decided by which side was added later.
 */
final class Aggregate {
    private long count;
    private double mean;
    private double m2;
    private double sum;
    private boolean hasMin;
    private double min;
    private boolean hasMax;
    private double max;
    private boolean hasFirst;
    private long firstTs;
    private Object first;
    private boolean hasLast;
    private long lastTs;
    private Object last;

    /** An aggregate holding the values of {@code acc}. */
    static Aggregate of(FieldAccumulator acc) {
        Aggregate aggregate = new Aggregate();
        aggregate.count = acc.getCount();
        aggregate.mean = acc.getMean();
        aggregate.m2 = acc.getM2();
        aggregate.sum = acc.getSum();
        if (acc.getMin() != null) {
            aggregate.hasMin = true;
            aggregate.min = acc.getMin();
        }
        if (acc.getMax() != null) {
            aggregate.hasMax = true;
            aggregate.max = acc.getMax();
        }
        if (acc.getFirstTs() != null) {
            aggregate.hasFirst = true;
            aggregate.firstTs = acc.getFirstTs();
            aggregate.first = acc.getFirst();
        }
        if (acc.getLastTs() != null) {
            aggregate.hasLast = true;
            aggregate.lastTs = acc.getLastTs();
            aggregate.last = acc.getLast();
        }
        return aggregate;
    }

    /**
     * Merges the slots of {@code other} that {@code needs} names, all but {@code distinct}. {@code
     * otherIsLater} says whether {@code other}'s values were added after this aggregate's.
     */
    void merge(FieldAccumulator other, FieldNeeds needs, boolean otherIsLater) {
        long nb = other.getCount();
        if (nb == 0) {
            return;
        }
        long n = count + nb;
        if (needs.moments()) {
            double delta = other.getMean() - mean;
            m2 += other.getM2() + delta * delta * ((double) count * nb / n);
            mean += delta * ((double) nb / n);
        }
        count = n;
        if (needs.sum()) {
            sum += other.getSum();
        }
        if (needs.min() && other.getMin() != null) {
            double value = other.getMin();
            min = hasMin ? Math.min(min, value) : value;
            hasMin = true;
        }
        if (needs.max() && other.getMax() != null) {
            double value = other.getMax();
            max = hasMax ? Math.max(max, value) : value;
            hasMax = true;
        }
        if (needs.first() && other.getFirstTs() != null) {
            long ts = other.getFirstTs();
            if (!hasFirst || ts < firstTs || (!otherIsLater && ts == firstTs)) {
                hasFirst = true;
                firstTs = ts;
                first = other.getFirst();
            }
        }
        if (needs.last() && other.getLastTs() != null) {
            long ts = other.getLastTs();
            if (!hasLast || ts > lastTs || (otherIsLater && ts == lastTs)) {
                hasLast = true;
                lastTs = ts;
                last = other.getLast();
            }
        }
    }

    /** Writes the merged values back into an accumulator. */
    void writeTo(FieldAccumulator acc) {
        acc.setCount(count);
        acc.setMean(mean);
        acc.setM2(m2);
        acc.setSum(sum);
        acc.setMin(min());
        acc.setMax(max());
        acc.setFirstTs(hasFirst ? firstTs : null);
        acc.setFirst(first);
        acc.setLastTs(hasLast ? lastTs : null);
        acc.setLast(last);
    }

    /** Non-null values merged. */
    long count() {
        return count;
    }

    double sum() {
        return sum;
    }

    /** The mean, or null without values. */
    Double mean() {
        return count == 0 ? null : mean;
    }

    /** The sample standard deviation (n - 1), or null below two values. */
    Double stddev() {
        return count < 2 ? null : Math.sqrt(Math.max(0.0, m2) / (count - 1));
    }

    Double min() {
        return hasMin ? min : null;
    }

    Double max() {
        return hasMax ? max : null;
    }

    Object first() {
        return Accumulators.value(first);
    }

    Object last() {
        return Accumulators.value(last);
    }
}
