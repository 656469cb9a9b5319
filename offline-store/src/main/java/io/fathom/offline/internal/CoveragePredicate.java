package io.fathom.offline.internal;

import io.fathom.core.TimeMath;
import java.io.Serializable;
import org.apache.parquet.filter2.predicate.Statistics;
import org.apache.parquet.filter2.predicate.UserDefinedPredicate;

/**
 * Keeps a snapshot's {@code event_ts} only if some entity row time lies in {@code [event_ts, event_ts +
 * ttl]}, the times it could serve; and drops a whole row group when no row time lies in {@code [min,
 * max + ttl]} of its {@code event_ts} statistics.
 */
final class CoveragePredicate extends UserDefinedPredicate<Long> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TimeCoverage coverage;
    private final long ttlMillis;

    CoveragePredicate(TimeCoverage coverage, long ttlMillis) {
        this.coverage = coverage;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public boolean keep(Long eventTs) {
        return eventTs != null && coverage.anyIn(eventTs, TimeMath.plus(eventTs, ttlMillis));
    }

    @Override
    public boolean canDrop(Statistics<Long> statistics) {
        return !coverage.anyIn(statistics.getMin(), TimeMath.plus(statistics.getMax(), ttlMillis));
    }

    @Override
    public boolean inverseCanDrop(Statistics<Long> statistics) {
        return false;
    }
}
