package io.fathom.online;

import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.avro.EntityState;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What an {@link OnlineStore} holds for one entity of one view, and what it is given to hold: the
 * snapshot's {@code event_ts} and {@code created_ts}, its tile state, from which any window can be
 * evaluated at a time {@code t >= event_ts}, and the entity's version, which orders the states of one entity
 * (the store keeps the greatest). {@link OnlineStore#write} takes what {@link OnlineStore#read} returns.
 *
 * <p>The state travels as its Avro bytes, as ingest encoded it: the {@link OnlineWriter} passes the bytes it
 * sliced out of a snapshot ({@link #of(SlicedSnapshot)}) straight to the store, and a reader decodes them
 * only when it evaluates ({@link #decodeState()}, on the caller's thread; a read whose snapshot turns out to
 * be expired never decodes it).
 *
 * @param view the view
 * @param entityKey the canonical entity key ({@code io.fathom.core.EntityKey#encoded()})
 * @param eventTs epoch millis: the latest event time in the state
 * @param createdTs epoch millis: when ingest created the snapshot
 * @param state the {@code EntityState} in plain Avro binary (schemas' {@link EntityStateCodec}): the buffer's
 *     remaining bytes, kept without a copy; see {@link #state()}
 * @param version the entity's version, which ingest adds 1 to with every update of the entity's state (see
 *     schemas' {@code VersionedState}): of two snapshots of one entity the greater version is the later state,
 *     even with equal times; 0 for a snapshot without one (written before versions existed, or built in code)
 */
public record StoredSnapshot(
        String view, String entityKey, long eventTs, long createdTs, ByteBuffer state, long version) {
    private static final EntityStateCodec STATES = new EntityStateCodec();

    /** Keeps the buffer's remaining bytes (shared, not copied); moving its position later changes nothing. */
    public StoredSnapshot {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(entityKey, "entityKey");
        state = Objects.requireNonNull(state, "state").slice();
    }

    /** The state of a snapshot read by schemas' {@code SnapshotCodec}, its bytes shared, not decoded. */
    public static StoredSnapshot of(SlicedSnapshot snapshot) {
        return new StoredSnapshot(
                snapshot.view(),
                snapshot.entityKey(),
                snapshot.eventTs(),
                snapshot.createdTs(),
                snapshot.state(),
                snapshot.version());
    }

    /** A snapshot of a state built in code (tests, tools), with the version given: the state is encoded now. */
    public static StoredSnapshot of(
            String view, String entityKey, long eventTs, long createdTs, EntityState state, long version) {
        return new StoredSnapshot(view, entityKey, eventTs, createdTs, ByteBuffer.wrap(STATES.encode(state)), version);
    }

    /**
     * A snapshot of a state built in code without a version (version 0): the state is encoded now. Of such
     * snapshots of one entity, a store keeps the one with the greatest {@code (event_ts, created_ts)}.
     */
    public static StoredSnapshot of(String view, String entityKey, long eventTs, long createdTs, EntityState state) {
        return of(view, entityKey, eventTs, createdTs, state, 0);
    }

    /** The state's Avro bytes: a read-only view from position 0 to its limit, sharing the snapshot's bytes. */
    @Override
    public ByteBuffer state() {
        return state.asReadOnlyBuffer();
    }

    /**
     * Decodes the state; a fresh object each call.
     *
     * @throws IllegalArgumentException if the bytes are not an {@code EntityState}
     */
    public EntityState decodeState() {
        return STATES.decode(state);
    }

    @Override
    public String toString() {
        return "StoredSnapshot[view=" + view + ", entityKey=" + entityKey + ", eventTs=" + eventTs + ", createdTs="
                + createdTs + ", version=" + version + ", state=" + state.remaining() + " bytes]";
    }
}
