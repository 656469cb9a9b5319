package io.fathom.offline.internal;

import io.fathom.core.TimeMath;
import java.io.Serializable;
import org.apache.parquet.filter2.predicate.Statistics;
import org.apache.parquet.filter2.predicate.UserDefinedPredicate;

/**
 * Keeps a time (a snapshot's {@code event_ts}, an event's {@code _event_ts}) only if some entity row time
 * lies in {@code [time, time + reach]}, the times it could serve (reach: the ttl of a snapshot, how far an
 * event can matter); and drops a whole row group when no row time lies in {@code [min, max + reach]} of
 * its statistics. A null is kept only if asked (an archived event without {@code _event_ts} falls back to
 * its timestamp field).
 */
final class CoveragePredicate extends UserDefinedPredicate<Long> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TimeCoverage coverage;
    private final long reachMillis;
    private final boolean keepNull;

    CoveragePredicate(TimeCoverage coverage, long reachMillis) {
        this(coverage, reachMillis, false);
    }

    CoveragePredicate(TimeCoverage coverage, long reachMillis, boolean keepNull) {
        this.coverage = coverage;
        this.reachMillis = reachMillis;
        this.keepNull = keepNull;
    }

    @Override
    public boolean keep(Long time) {
        return time == null ? keepNull : coverage.anyIn(time, TimeMath.plus(time, reachMillis));
    }

    @Override
    public boolean canDrop(Statistics<Long> statistics) {
        return !coverage.anyIn(statistics.getMin(), TimeMath.plus(statistics.getMax(), reachMillis));
    }

    @Override
    public boolean inverseCanDrop(Statistics<Long> statistics) {
        return false;
    }
}
