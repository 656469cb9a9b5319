package io.fathom.schemas;

import io.fathom.schemas.avro.EntityState;

/**
 * What ingest keeps for one entity of one view: the tile state and the entity's version, which ingest adds 1
 * to with every update of the state (and which every snapshot of the state carries, see {@code
 * FeatureSnapshot.version}). Of two states of one entity, the one with the greater version is the later one,
 * whatever their event times; the online stores keep the greater version.
 *
 * <p>Encoded by {@link EntityStateCodec#encode(VersionedState)}: the state's Avro bytes followed by the
 * version as an Avro long, which is the Avro encoding of a record {@code {state: EntityState, version: long}}.
 * A state stored before versions existed has no version after it and reads as version 0.
 *
 * @param state the state, mutable as the generated Avro classes are
 * @param version 0 for a state that has never been updated since versions exist (a new state, or one stored
 *     before), else the number of updates
 */
public record VersionedState(EntityState state, long version) {
    public VersionedState {
        RecordComponents.requireNonNull(VersionedState.class, state, version);
    }

    /** The state after one more update: the same state object, the next version. */
    public VersionedState next() {
        return new VersionedState(state, version + 1);
    }
}
