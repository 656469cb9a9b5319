package io.fathom.offline.internal;

import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.schemas.VersionedState;
import io.fathom.schemas.avro.EntityState;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * The backfill of one bucket, a pure function of its events sorted by (entity, event time, origin,
 * position): per entity, a fresh state ({@link TileAggregator#newState}) to which every event is added in
 * that order with {@link TileAggregator#add}, as ingest adds them but never late, each successful add
 * counting one more version; after each add of an event at or after {@code firstSnapshotTs}, a snapshot (the
 * state, evaluated at its latest event time); after the entity's last event, its latest state. An event
 * read twice (the same archived partition and offset) is added once; one the view cannot aggregate (no
 * valid field of the right type) is skipped and counted, changing nothing.
 */
final class BackfillWalk {
    /** Where the walk's results go, on the walk's thread. */
    interface Output {
        /**
         * A snapshot after an event: {@code state} is live (the walk goes on changing it), so encode it now.
         *
         * @param values the view's features evaluated at the state's latest event time
         */
        void snapshot(String entityKey, VersionedState state, Map<String, Object> values) throws IOException;

        /** The entity's state after its last event (live too), for entities with at least one event added. */
        void latest(String entityKey, VersionedState state);
    }

    /** Events added, events skipped, entities with a state. */
    record Counts(long events, long skipped, long entities) {}

    private final TileAggregator aggregator;
    private final FieldMap fields;
    private final long firstSnapshotTs;

    BackfillWalk(TileAggregator aggregator, long firstSnapshotTs) {
        this.aggregator = aggregator;
        this.fields = new FieldMap(aggregator.plan().fields());
        this.firstSnapshotTs = firstSnapshotTs;
    }

    Counts walk(Iterator<EventRef> events, Output out) throws IOException {
        long added = 0;
        long skipped = 0;
        long entities = 0;
        String key = null;
        EntityState state = null;
        long version = 0;
        EventRef last = null;
        while (events.hasNext()) {
            EventRef event = events.next();
            if (!event.key().equals(key)) {
                if (version > 0) {
                    out.latest(key, new VersionedState(state, version));
                    entities++;
                }
                key = event.key();
                state = aggregator.newState();
                version = 0;
                last = null;
            }
            if (event.sameEvent(last)) {
                continue;
            }
            last = event;
            try {
                aggregator.add(state, event.ts(), fields.of(event.fields()));
            } catch (InvalidEventException e) {
                skipped++;
                continue;
            }
            version++;
            added++;
            if (event.ts() >= firstSnapshotTs) {
                long eventTs = state.getLatestEventTs();
                out.snapshot(key, new VersionedState(state, version), aggregator.evaluate(state, eventTs));
            }
        }
        if (version > 0) {
            out.latest(key, new VersionedState(state, version));
            entities++;
        }
        return new Counts(added, skipped, entities);
    }
}
