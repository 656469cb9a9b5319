package io.fathom.offline;

import io.fathom.schemas.VersionedState;

/**
 * Receives each entity's state after its last backfilled event, e.g. to load it into the online store and
 * ingest's state. Called from several threads at once, once per entity.
 */
@FunctionalInterface
public interface LatestStates {
    LatestStates NONE = (entityKey, state) -> {};

    /**
     * @param entityKey the canonical entity key
     * @param state the state and its version: the number of events aggregated into it
     */
    void accept(String entityKey, VersionedState state);
}
