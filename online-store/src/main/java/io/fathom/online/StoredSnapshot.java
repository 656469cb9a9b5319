package io.fathom.online;

import io.fathom.schemas.avro.EntityState;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What an {@link OnlineStore} holds for one entity of one view: the snapshot's {@code event_ts} and
 * {@code created_ts} and its tile state, from which any window can be evaluated at a time {@code t >=
 * event_ts}.
 *
 * <p>The stores decode the state lazily, on the first call of {@link #state()} (on the caller's thread,
 * not the store's I/O thread; a read whose snapshot turns out to be expired never decodes it). The
 * decoded state is cached; do not modify it.
 */
public final class StoredSnapshot {
    private final long eventTs;
    private final long createdTs;
    private final Supplier<EntityState> decoder;
    private volatile EntityState state;

    StoredSnapshot(long eventTs, long createdTs, Supplier<EntityState> decoder) {
        this.eventTs = eventTs;
        this.createdTs = createdTs;
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    /** A snapshot with an already decoded state (for tests and in-memory stores). */
    public static StoredSnapshot of(long eventTs, long createdTs, EntityState state) {
        Objects.requireNonNull(state, "state");
        StoredSnapshot snapshot = new StoredSnapshot(eventTs, createdTs, () -> state);
        snapshot.state = state;
        return snapshot;
    }

    /** Epoch millis: the latest event time in the state. */
    public long eventTs() {
        return eventTs;
    }

    /** Epoch millis: when ingest created the snapshot. */
    public long createdTs() {
        return createdTs;
    }

    /** The tile state, decoded on first use. */
    public EntityState state() {
        EntityState decoded = state;
        if (decoded == null) {
            decoded = decoder.get();
            state = decoded;
        }
        return decoded;
    }

    @Override
    public String toString() {
        return "StoredSnapshot[eventTs=" + eventTs + ", createdTs=" + createdTs + "]";
    }
}
