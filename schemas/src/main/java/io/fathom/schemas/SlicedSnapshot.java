package io.fathom.schemas;

import io.fathom.schemas.avro.EntityState;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@code FeatureSnapshot} as {@link SnapshotCodec#decode} reads it: the fields every reader needs,
 * with the tile state left as its Avro bytes and the feature values left encoded. Readers that keep
 * the state as it is (the online and offline stores) never decode it, and readers that need only the
 * values (the monitor) never look at the state.
 *
 * @param view the view the snapshot belongs to
 * @param entityKey the canonical entity key (also the Kafka record key)
 * @param eventTs epoch millis: the latest event time in the state
 * @param createdTs epoch millis: when ingest created the snapshot
 * @param state the {@code EntityState}, Avro binary, no framing: the buffer's remaining bytes; see {@link
 *     #state()}
 * @param values the features evaluated at {@code eventTs}, decoded on demand
 * @param version the entity's version: of two snapshots of one entity, the greater version is the later state
 *     (see {@link VersionedState}); 0 for a snapshot written before versions existed
 */
public record SlicedSnapshot(
        String view,
        String entityKey,
        long eventTs,
        long createdTs,
        ByteBuffer state,
        FeatureValues values,
        long version) {
    private static final EntityStateCodec STATES = new EntityStateCodec();

    /** Keeps the buffer's remaining bytes (shared, not copied); moving its position later changes nothing. */
    public SlicedSnapshot {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(entityKey, "entityKey");
        state = Objects.requireNonNull(state, "state").slice();
        Objects.requireNonNull(values, "values");
    }

    /** A snapshot without a version, as written before versions existed: version 0. */
    public SlicedSnapshot(
            String view, String entityKey, long eventTs, long createdTs, ByteBuffer state, FeatureValues values) {
        this(view, entityKey, eventTs, createdTs, state, values, 0);
    }

    /**
     * The state's Avro bytes: a read-only view from position 0 to its limit, which shares the bytes the
     * snapshot was read from (no copy).
     */
    @Override
    public ByteBuffer state() {
        return state.asReadOnlyBuffer();
    }

    /** Decodes the state (with {@link EntityStateCodec}); a fresh object each call. */
    public EntityState decodeState() {
        return STATES.decode(state);
    }
}
