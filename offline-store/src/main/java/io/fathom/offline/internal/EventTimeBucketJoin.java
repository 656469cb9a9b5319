package io.fathom.offline.internal;

import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.core.TimeMath;
import io.fathom.offline.internal.JoinEngine.ViewRequest;
import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.schemas.avro.EntityState;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * The event-time join of one bucket, a pure function of its rows and events, each sorted by (entity,
 * time): per entity, a fresh state ({@link TileAggregator#newState}); per row (keys, t), every event of the
 * entity with event time ≤ t not yet added is added with {@link TileAggregator#add}, in event-time order
 * (ties by origin and position, {@link JoinRecords#EVENT_ORDER}), and the state is evaluated at t with
 * {@link TileAggregator#evaluate}. Nulls (no result) when the entity has no event within ttl before t.
 *
 * <p>Added in event-time order, no event is ever late for the state. An event the view cannot aggregate
 * (a field of the wrong type) is skipped, leaving the state as it was, and counted; an event read twice
 * (the same archived partition and offset) is added once. It has no other input and no side effect but its
 * output, so it can run wherever a bucket's sorted events and rows are (a Spark partition sorted within
 * itself, for instance).
 */
record EventTimeBucketJoin(int viewIndex, ViewRequest view) implements JoinSide.BucketJoin<EventRef> {
    @Override
    public long join(Iterator<RowRef> rows, Iterator<EventRef> events, Consumer<Result> out) {
        Walk walk = new Walk(out);
        walk.walk(rows, events, EventRef::key, EventRef::ts);
        return walk.skipped;
    }

    private final class Walk extends EntityWalk<EventRef> {
        private final TileAggregator aggregator = view.aggregator();
        private final FieldMap fields = new FieldMap(aggregator.plan().fields());
        private final Consumer<Result> out;
        private EntityState state;
        private EventRef lastAdded;
        private boolean changed;
        private long evaluatedAt;
        private Object[] values;
        private long skipped;

        Walk(Consumer<Result> out) {
            this.out = out;
        }

        @Override
        void startEntity() {
            state = aggregator.newState();
            lastAdded = null;
            changed = true;
        }

        @Override
        void take(EventRef event) {
            if (event.sameEvent(lastAdded)) {
                return;
            }
            lastAdded = event;
            try {
                aggregator.add(state, event.ts(), fields.of(event.fields()));
                changed = true;
            } catch (InvalidEventException e) {
                skipped++;
            }
        }

        @Override
        void row(RowRef row) {
            long latest = state.getLatestEventTs();
            if (latest == Long.MIN_VALUE || latest < TimeMath.minus(row.t(), view.ttlMillis())) {
                return;
            }
            if (changed || row.t() != evaluatedAt) {
                values = view.values(aggregator.evaluate(state, row.t()));
                evaluatedAt = row.t();
                changed = false;
            }
            out.accept(new Result(row.rowIndex(), viewIndex, latest, values));
        }
    }
}
