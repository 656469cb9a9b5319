package io.fathom.schemas;

import static io.fathom.schemas.BinaryWriter.checkedSize;
import static io.fathom.schemas.BinaryWriter.maxStringSize;
import static io.fathom.schemas.BinaryWriter.varLongSize;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Objects;

/**
 * The Avro binary encoding of {@code FeatureSnapshot}, the one format of the snapshot topics {@code
 * fathom.snapshots.<view>}, written and read by slicing instead of through Avro objects.
 *
 * <p>An Avro record is the concatenation of its fields' encodings (Avro specification, "Binary
 * Encoding"), so a snapshot is: {@code view} and {@code entity_key} (length-prefixed UTF-8), {@code
 * event_ts} and {@code created_ts} (zig-zag varints), the {@code EntityState} exactly as {@link
 * EntityStateCodec} encodes it, the {@code values} map, and the entity's {@code version} (a zig-zag varint).
 * {@link #encode} splices the state's bytes, already encoded for the state store, between the timestamps and
 * the values, so ingest encodes each state once; the result is byte for byte what Avro's {@code
 * SpecificDatumWriter} writes. {@link #decode} reads the header fields and slices the rest: the state's
 * bytes and the values' bytes are
 * located (walking them, with every check {@link EntityStateCodec#decode} and {@link
 * FeatureValues#toMap()} make) but not decoded. Decoding a snapshot in full through Avro's {@code
 * SpecificDatumReader} cost the online writer and the monitor most of their CPU, on states they then
 * dropped.
 *
 * <p>{@code version} is the last field so that snapshots written before it existed still read: they end
 * after {@code values}, and read as version 0 (what Avro's schema resolution gives them too, from the field's
 * default). The price is that a snapshot cut off exactly before its version cannot be told from such an old
 * one.
 *
 * <p><b>Change this class together with {@code FeatureSnapshot.avsc}.</b> It hard-codes the field order
 * of {@code FeatureSnapshot}; {@code SnapshotCodecTest} fails when the schema's fingerprint differs
 * from {@link #SCHEMA_FINGERPRINT}, and checks against Avro's own writer and reader.
 *
 * <p>Thread-safe and stateless.
 */
public final class SnapshotCodec {
    /** {@code SchemaNormalization.parsingFingerprint64} of the FeatureSnapshot schema this codec encodes. */
    static final long SCHEMA_FINGERPRINT = 0x0e9700845306d8d5L;

    private static final String RECORD = "FeatureSnapshot";

    public SnapshotCodec() {}

    /**
     * Encodes a snapshot around a state already encoded for ingest's store.
     *
     * @param state the state and its version, as {@link EntityStateCodec#encode(VersionedState)} encoded them: the
     *     state's bytes are copied as they are, and the snapshot carries the version
     * @param values the evaluated features, in the order to write them: null, Long, Double, CharSequence or
     *     Boolean each
     * @throws IllegalArgumentException if a value has another type; the message names the feature
     */
    public byte[] encode(
            String view, String entityKey, long eventTs, long createdTs, EncodedState state, Map<String, ?> values) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(values, "values");
        long size = headerSize(view, entityKey, eventTs, createdTs)
                + state.stateLength()
                + FeatureValues.maxSizeOf(values)
                + varLongSize(state.version());
        BinaryWriter out = new BinaryWriter(checkedSize(size, RECORD));
        writeHeader(out, view, entityKey, eventTs, createdTs);
        out.writeFixed(state.bytes(), 0, state.stateLength());
        FeatureValues.write(out, values);
        out.writeLong(state.version());
        return out.toByteArray();
    }

    /**
     * Encodes a snapshot read by {@link #decode}, or built of parts: the inverse of {@code decode} (a snapshot
     * read without a version is written with version 0).
     */
    public byte[] encode(SlicedSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        ByteBuffer state = snapshot.state();
        long size = headerSize(snapshot.view(), snapshot.entityKey(), snapshot.eventTs(), snapshot.createdTs())
                + state.remaining()
                + snapshot.values().encodedSize()
                + varLongSize(snapshot.version());
        BinaryWriter out = new BinaryWriter(checkedSize(size, RECORD));
        writeHeader(out, snapshot.view(), snapshot.entityKey(), snapshot.eventTs(), snapshot.createdTs());
        out.writeFixed(state);
        snapshot.values().writeTo(out);
        out.writeLong(snapshot.version());
        return out.toByteArray();
    }

    /**
     * Reads the snapshot that fills {@code bytes} exactly, slicing out the state and the values; both share
     * {@code bytes}, which must not change afterwards. A snapshot that ends after its values (written before
     * versions existed) reads as version 0.
     *
     * @throws IllegalArgumentException if the bytes are not a snapshot: truncated, malformed or followed by
     *     more bytes; the message names the field and the offset, e.g. {@code truncated FeatureSnapshot: the
     *     input ends after 40 bytes, inside Tile.fields at offset 40}
     */
    public SlicedSnapshot decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        BinaryReader in = new BinaryReader(bytes, 0, bytes.length, RECORD);
        String view = in.readString("FeatureSnapshot.view");
        String entityKey = in.readString("FeatureSnapshot.entity_key");
        long eventTs = in.readLong("FeatureSnapshot.event_ts");
        long createdTs = in.readLong("FeatureSnapshot.created_ts");
        int stateStart = in.pos;
        EntityStateCodec.skip(in);
        int stateEnd = in.pos;
        FeatureValues.skip(in);
        int valuesEnd = in.pos;
        long version = in.atEnd() ? 0 : in.readLong("FeatureSnapshot.version");
        in.requireEnd();
        return new SlicedSnapshot(
                view,
                entityKey,
                eventTs,
                createdTs,
                ByteBuffer.wrap(bytes, stateStart, stateEnd - stateStart),
                FeatureValues.slice(bytes, stateEnd, valuesEnd),
                version);
    }

    private static long headerSize(String view, String entityKey, long eventTs, long createdTs) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(entityKey, "entityKey");
        return maxStringSize(view) + maxStringSize(entityKey) + varLongSize(eventTs) + varLongSize(createdTs);
    }

    private static void writeHeader(BinaryWriter out, String view, String entityKey, long eventTs, long createdTs) {
        out.writeString(view);
        out.writeString(entityKey);
        out.writeLong(eventTs);
        out.writeLong(createdTs);
    }
}
