package io.fathom.schemas;

/**
 * A state and its version as ingest stores them, what {@link EntityStateCodec#encode(VersionedState)} returns:
 * {@link #bytes()} for the state store, and the parts {@link SnapshotCodec} splices into the entity's snapshot
 * (the state's bytes, which the bytes begin with, and the version) without looking for where they part.
 */
public final class EncodedState {
    private final byte[] bytes;
    private final int stateLength;
    private final long version;

    EncodedState(byte[] bytes, int stateLength, long version) {
        this.bytes = bytes;
        this.stateLength = stateLength;
        this.version = version;
    }

    /**
     * The state's Avro bytes followed by the version as an Avro long (the Avro encoding of a record {@code
     * {state: EntityState, version: long}}), for the state store; {@link EntityStateCodec#decodeVersioned}
     * reads them. The array itself, not a copy: do not change it.
     */
    public byte[] bytes() {
        return bytes;
    }

    public long version() {
        return version;
    }

    /** How many of {@link #bytes()} are the state's. */
    int stateLength() {
        return stateLength;
    }
}
