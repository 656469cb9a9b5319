package io.fathom.offline.internal;

import io.fathom.core.TimeMath;
import io.fathom.offline.OfflineException;
import io.fathom.offline.internal.JoinEngine.ViewRequest;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.offline.internal.JoinRecords.SnapshotRef;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.avro.EntityState;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The as-known-at join of one bucket, a pure function of its sorted rows and snapshots: per row, of the
 * snapshots of its entity that qualify by t keep the newest ({@link SnapshotRef#newerThan}), check the
 * ttl, decode the state (once per snapshot) and evaluate it at t.
 */
record SnapshotBucketJoin(int viewIndex, ViewRequest view) implements JoinSide.BucketJoin<SnapshotRef> {
    @Override
    public long join(Iterator<RowRef> rows, Iterator<SnapshotRef> snapshots, Consumer<Result> out) {
        new Walk(out).walk(rows, snapshots, SnapshotRef::key, SnapshotRef::qualifiesAt);
        return 0;
    }

    private final class Walk extends EntityWalk<SnapshotRef> {
        private final EntityStateCodec stateCodec = new EntityStateCodec();
        private final Consumer<Result> out;
        private SnapshotRef best;
        private SnapshotRef decodedFor;
        private EntityState state;
        private SnapshotRef evaluatedFor;
        private long evaluatedAt;
        private Object[] values;

        Walk(Consumer<Result> out) {
            this.out = out;
        }

        @Override
        void startEntity() {
            best = null;
        }

        @Override
        void take(SnapshotRef snapshot) {
            if (best == null || snapshot.newerThan(best)) {
                best = snapshot;
            }
        }

        @Override
        void row(RowRef row) {
            if (best == null || best.eventTs() < TimeMath.minus(row.t(), view.ttlMillis())) {
                return;
            }
            if (best != evaluatedFor || row.t() != evaluatedAt) {
                if (best != decodedFor) {
                    state = stateCodec.decode(best.state());
                    decodedFor = best;
                }
                values = evaluate(best, state, row.t());
                evaluatedFor = best;
                evaluatedAt = row.t();
            }
            out.accept(new Result(row.rowIndex(), viewIndex, best.eventTs(), values));
        }
    }

    private Object[] evaluate(SnapshotRef snapshot, EntityState state, long t) {
        try {
            return view.values(view.aggregator().evaluate(state, t));
        } catch (IllegalArgumentException e) {
            throw new OfflineException(
                    "view " + view.view() + ", entity " + snapshot.key() + ": the snapshot at event_ts "
                            + snapshot.eventTs() + " (offset " + snapshot.offset() + ") cannot be evaluated at " + t
                            + ": " + e.getMessage(),
                    e);
        }
    }
}
