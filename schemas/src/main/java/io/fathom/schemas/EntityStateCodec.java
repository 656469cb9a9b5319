package io.fathom.schemas;

import static io.fathom.schemas.BinaryReader.DOUBLE_SIZE;
import static io.fathom.schemas.BinaryReader.NULL;
import static io.fathom.schemas.BinaryWriter.arrayOverhead;
import static io.fathom.schemas.BinaryWriter.bytesSize;
import static io.fathom.schemas.BinaryWriter.checkedSize;
import static io.fathom.schemas.BinaryWriter.maxValueSize;
import static io.fathom.schemas.BinaryWriter.varLongSize;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;

/**
 * The Avro binary encoding of {@link EntityState}, written and read by hand.
 *
 * <p>{@link #encode} produces exactly the bytes Avro's {@code SpecificDatumWriter} writes for the
 * record (Avro specification, "Binary Encoding": zig-zag varint longs, little-endian IEEE doubles
 * with their raw bits, length-prefixed UTF-8 strings and bytes, a union's branch index before its
 * value, an array as one block of n items followed by 0), so any Avro reader of {@code
 * FeatureSnapshot.avsc} reads them. {@link #decode} reads any valid encoding of the record, including
 * arrays split into several blocks and blocks with a negative count (followed by their size in
 * bytes), and rejects truncated or malformed input with an {@link IllegalArgumentException}.
 *
 * <p>Why: speed. The state is encoded and decoded for every ingested event, and Avro's generic
 * datum writer and reader spent about a third of ingest CPU resolving unions and walking the schema.
 * Here the schema is unrolled into code: encoding bounds the size, allocates one array and fills it
 * with zig-zag varints and raw doubles; decoding reads straight into the generated classes. Measured
 * against {@link AvroCodec} on a typical state (3 tiles of 2 fields), encoding is about 7 times and
 * decoding about 3 times as fast; Avro's own {@code BinaryEncoder} and {@code BinaryDecoder}
 * primitives, driven the same way, were slower than these hand-rolled ones.
 *
 * <p><b>Change this class together with {@code FeatureSnapshot.avsc}.</b> It hard-codes the field
 * order of {@code EntityState}, {@code Tile} and {@code FieldAccumulator} and the branch order of
 * each union. {@code EntityStateCodecTest} fails when the schema's fingerprint differs from {@link
 * #SCHEMA_FINGERPRINT}, and checks byte for byte against Avro's own writer.
 *
 * <p>Thread-safe and stateless: each call works on its own buffer.
 */
public final class EntityStateCodec {
    /** {@code SchemaNormalization.parsingFingerprint64} of the EntityState schema this codec encodes. */
    static final long SCHEMA_FINGERPRINT = 0x2a0f0b0790af4a2fL;

    // ["null","double"], ["null","long"] and ["null","bytes"] have one more branch than null, PRESENT;
    // first and last are ["null","long","double","string","boolean"] (BinaryReader.VALUE_*).
    private static final int PRESENT = 1;

    /** index, events and an empty fields array take a byte each. */
    private static final int MIN_TILE_SIZE = 3;
    /** count, mean, m2 and sum take at least 1 + 3 * 8 bytes, each of the seven unions one more. */
    private static final int MIN_ACCUMULATOR_SIZE = 1 + 3 * DOUBLE_SIZE + 7;

    public EntityStateCodec() {}

    /**
     * Encodes {@code state} as Avro binary, byte for byte what {@code SpecificDatumWriter} writes.
     * Reads {@code distinct}'s remaining bytes without moving the buffer's position.
     *
     * @throws NullPointerException if a list or an element of a list is null
     * @throws IllegalArgumentException if {@code first} or {@code last} holds a type other than Long,
     *     Double, CharSequence or Boolean
     */
    public byte[] encode(EntityState state) {
        Objects.requireNonNull(state, "state");
        BinaryWriter out = new BinaryWriter(checkedSize(maxSizeOf(state), "EntityState"));
        try {
            write(out, state);
        } catch (IndexOutOfBoundsException e) {
            throw new ConcurrentModificationException("EntityState changed while it was being encoded", e);
        }
        return out.toByteArray();
    }

    /**
     * Encodes a state and its version as ingest keeps them: the state as {@link #encode(EntityState)} does,
     * followed by the version as an Avro long (the Avro encoding of a record {@code {state: EntityState,
     * version: long}}). {@link SnapshotCodec#encode(String, String, long, long, EncodedState, java.util.Map)}
     * splices the result into a snapshot.
     *
     * @throws NullPointerException if a list or an element of a list is null
     * @throws IllegalArgumentException as {@link #encode(EntityState)}
     */
    public EncodedState encode(VersionedState state) {
        Objects.requireNonNull(state, "state");
        EntityState entity = state.state();
        long version = state.version();
        BinaryWriter out = new BinaryWriter(checkedSize(maxSizeOf(entity) + varLongSize(version), "EntityState"));
        try {
            write(out, entity);
        } catch (IndexOutOfBoundsException e) {
            throw new ConcurrentModificationException("EntityState changed while it was being encoded", e);
        }
        int stateLength = out.pos;
        out.writeLong(version);
        return new EncodedState(out.toByteArray(), stateLength, version);
    }

    /**
     * Decodes what {@link #encode(VersionedState)} wrote ({@link EncodedState#bytes()}). Bytes that end with the
     * state, as ingest stored them before versions existed (what {@link #encode(EntityState)} writes), read as
     * version 0.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     */
    public VersionedState decodeVersioned(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        BinaryReader in = new BinaryReader(bytes, 0, bytes.length, "EntityState");
        EntityState state = entityState(in);
        long version = in.atEnd() ? 0 : in.readLong("version");
        in.requireEnd();
        return new VersionedState(state, version);
    }

    /**
     * Decodes the Avro binary encoding of one {@code EntityState} that fills {@code bytes} exactly.
     * Strings come back as {@link String}, {@code distinct} as a heap buffer of its own.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     */
    public EntityState decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return decode(bytes, 0, bytes.length);
    }

    /**
     * Decodes the Avro binary encoding of one {@code EntityState} that fills the buffer's remaining bytes
     * exactly (a slice of a larger record, say), without moving its position. A buffer whose array is not
     * accessible (read-only or direct) is copied first.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     */
    public EntityState decode(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.hasArray()) {
            int from = bytes.arrayOffset() + bytes.position();
            return decode(bytes.array(), from, from + bytes.remaining());
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(bytes.position(), copy);
        return decode(copy, 0, copy.length);
    }

    private static EntityState decode(byte[] bytes, int from, int to) {
        BinaryReader in = new BinaryReader(bytes, from, to, "EntityState");
        EntityState state = entityState(in);
        in.requireEnd();
        return state;
    }

    /**
     * Moves {@code in} past one {@code EntityState}, checking it as {@link #decode} does but building
     * nothing: how {@link SnapshotCodec} finds the end of the state inside a snapshot.
     */
    static void skip(BinaryReader in) {
        in.readLong("EntityState.latest_event_ts");
        for (long count = in.blockCount("EntityState.tiles", MIN_TILE_SIZE);
                count != 0;
                count = in.blockCount("EntityState.tiles", MIN_TILE_SIZE)) {
            for (; count > 0; count--) {
                in.readLong("Tile.index");
                in.readLong("Tile.events");
                skipAccumulators(in, "Tile.fields");
            }
        }
        skipAccumulators(in, "EntityState.lifetime");
    }

    // ---- Sizing: the first pass of encode, which also checks what the writer assumes ----

    /** An upper bound of the encoded size (see {@link BinaryWriter}): measured, encoding is about 20% faster so. */
    private static long maxSizeOf(EntityState state) {
        long size = varLongSize(state.getLatestEventTs());
        List<Tile> tiles = requireList(state.getTiles(), "EntityState.tiles");
        size += arrayOverhead(tiles.size());
        int i = 0;
        for (Tile tile : tiles) {
            if (tile == null) {
                throw new NullPointerException("EntityState.tiles[" + i + "] is null");
            }
            size += varLongSize(tile.getIndex())
                    + varLongSize(tile.getEvents())
                    + maxSizeOf(requireList(tile.getFields(), "Tile.fields"), "Tile.fields");
            i++;
        }
        size += maxSizeOf(requireList(state.getLifetime(), "EntityState.lifetime"), "EntityState.lifetime");
        return size;
    }

    private static long maxSizeOf(List<FieldAccumulator> accumulators, String name) {
        long size = arrayOverhead(accumulators.size());
        int i = 0;
        for (FieldAccumulator acc : accumulators) {
            if (acc == null) {
                throw new NullPointerException(name + "[" + i + "] is null");
            }
            size += maxSizeOf(acc);
            i++;
        }
        return size;
    }

    private static long maxSizeOf(FieldAccumulator acc) {
        long size = varLongSize(acc.getCount()) + 3 * DOUBLE_SIZE;
        size += acc.getMin() == null ? 1 : 1 + DOUBLE_SIZE;
        size += acc.getMax() == null ? 1 : 1 + DOUBLE_SIZE;
        size += optionalLongSize(acc.getFirstTs());
        size += maxValueSize(acc.getFirst(), "FieldAccumulator.first");
        size += optionalLongSize(acc.getLastTs());
        size += maxValueSize(acc.getLast(), "FieldAccumulator.last");
        ByteBuffer distinct = acc.getDistinct();
        size += distinct == null ? 1 : 1 + bytesSize(distinct.remaining());
        return size;
    }

    private static int optionalLongSize(Long value) {
        return value == null ? 1 : 1 + varLongSize(value);
    }

    private static <T> List<T> requireList(List<T> list, String name) {
        if (list == null) {
            throw new NullPointerException(name + " is null");
        }
        return list;
    }

    // ---- Writing: the second pass, into an array of the bound's size ----

    private static void write(BinaryWriter out, EntityState state) {
        out.writeLong(state.getLatestEventTs());
        List<Tile> tiles = state.getTiles();
        if (!tiles.isEmpty()) {
            out.writeLong(tiles.size());
            for (Tile tile : tiles) {
                out.writeLong(tile.getIndex());
                out.writeLong(tile.getEvents());
                write(out, tile.getFields());
            }
        }
        out.buf[out.pos++] = 0;
        write(out, state.getLifetime());
    }

    private static void write(BinaryWriter out, List<FieldAccumulator> accumulators) {
        if (!accumulators.isEmpty()) {
            out.writeLong(accumulators.size());
            for (FieldAccumulator acc : accumulators) {
                write(out, acc);
            }
        }
        out.buf[out.pos++] = 0;
    }

    private static void write(BinaryWriter out, FieldAccumulator acc) {
        out.writeLong(acc.getCount());
        out.writeDouble(acc.getMean());
        out.writeDouble(acc.getM2());
        out.writeDouble(acc.getSum());
        optionalDouble(out, acc.getMin());
        optionalDouble(out, acc.getMax());
        optionalLong(out, acc.getFirstTs());
        out.value(acc.getFirst());
        optionalLong(out, acc.getLastTs());
        out.value(acc.getLast());
        ByteBuffer distinct = acc.getDistinct();
        if (present(out, distinct)) {
            out.writeBytes(distinct);
        }
    }

    private static void optionalDouble(BinaryWriter out, Double value) {
        if (present(out, value)) {
            out.writeDouble(value);
        }
    }

    private static void optionalLong(BinaryWriter out, Long value) {
        if (present(out, value)) {
            out.writeLong(value);
        }
    }

    /** Writes the union branch of an optional value (null or present); whether the value follows. */
    private static boolean present(BinaryWriter out, Object value) {
        out.writeIndex(value == null ? NULL : PRESENT);
        return value != null;
    }

    // ---- Reading ----

    private static EntityState entityState(BinaryReader in) {
        EntityState state = new EntityState();
        state.setLatestEventTs(in.readLong("EntityState.latest_event_ts"));
        long count = in.blockCount("EntityState.tiles", MIN_TILE_SIZE);
        List<Tile> tiles = new ArrayList<>((int) count);
        while (count != 0) {
            for (; count > 0; count--) {
                tiles.add(tile(in));
            }
            count = in.blockCount("EntityState.tiles", MIN_TILE_SIZE);
        }
        state.setTiles(tiles);
        state.setLifetime(accumulators(in, "EntityState.lifetime"));
        return state;
    }

    private static Tile tile(BinaryReader in) {
        Tile tile = new Tile();
        tile.setIndex(in.readLong("Tile.index"));
        tile.setEvents(in.readLong("Tile.events"));
        tile.setFields(accumulators(in, "Tile.fields"));
        return tile;
    }

    private static List<FieldAccumulator> accumulators(BinaryReader in, String name) {
        long count = in.blockCount(name, MIN_ACCUMULATOR_SIZE);
        List<FieldAccumulator> accumulators = new ArrayList<>((int) count);
        while (count != 0) {
            for (; count > 0; count--) {
                accumulators.add(accumulator(in));
            }
            count = in.blockCount(name, MIN_ACCUMULATOR_SIZE);
        }
        return accumulators;
    }

    private static FieldAccumulator accumulator(BinaryReader in) {
        FieldAccumulator acc = new FieldAccumulator();
        acc.setCount(in.readLong("FieldAccumulator.count"));
        acc.setMean(in.readDouble("FieldAccumulator.mean"));
        acc.setM2(in.readDouble("FieldAccumulator.m2"));
        acc.setSum(in.readDouble("FieldAccumulator.sum"));
        acc.setMin(
                in.readIndex("FieldAccumulator.min", PRESENT) == NULL ? null : in.readDouble("FieldAccumulator.min"));
        acc.setMax(
                in.readIndex("FieldAccumulator.max", PRESENT) == NULL ? null : in.readDouble("FieldAccumulator.max"));
        acc.setFirstTs(
                in.readIndex("FieldAccumulator.first_ts", PRESENT) == NULL
                        ? null
                        : in.readLong("FieldAccumulator.first_ts"));
        acc.setFirst(in.value("FieldAccumulator.first"));
        acc.setLastTs(
                in.readIndex("FieldAccumulator.last_ts", PRESENT) == NULL
                        ? null
                        : in.readLong("FieldAccumulator.last_ts"));
        acc.setLast(in.value("FieldAccumulator.last"));
        if (in.readIndex("FieldAccumulator.distinct", PRESENT) != NULL) {
            int length = in.readLength("FieldAccumulator.distinct");
            acc.setDistinct(ByteBuffer.wrap(Arrays.copyOfRange(in.buf, in.pos, in.pos + length)));
            in.pos += length;
        }
        return acc;
    }

    // ---- Skipping: reading without building ----

    private static void skipAccumulators(BinaryReader in, String name) {
        for (long count = in.blockCount(name, MIN_ACCUMULATOR_SIZE);
                count != 0;
                count = in.blockCount(name, MIN_ACCUMULATOR_SIZE)) {
            for (; count > 0; count--) {
                skipAccumulator(in);
            }
        }
    }

    private static void skipAccumulator(BinaryReader in) {
        in.readLong("FieldAccumulator.count");
        in.skipDouble("FieldAccumulator.mean");
        in.skipDouble("FieldAccumulator.m2");
        in.skipDouble("FieldAccumulator.sum");
        if (in.readIndex("FieldAccumulator.min", PRESENT) != NULL) {
            in.skipDouble("FieldAccumulator.min");
        }
        if (in.readIndex("FieldAccumulator.max", PRESENT) != NULL) {
            in.skipDouble("FieldAccumulator.max");
        }
        if (in.readIndex("FieldAccumulator.first_ts", PRESENT) != NULL) {
            in.readLong("FieldAccumulator.first_ts");
        }
        in.skipValue("FieldAccumulator.first");
        if (in.readIndex("FieldAccumulator.last_ts", PRESENT) != NULL) {
            in.readLong("FieldAccumulator.last_ts");
        }
        in.skipValue("FieldAccumulator.last");
        if (in.readIndex("FieldAccumulator.distinct", PRESENT) != NULL) {
            in.skipBytes("FieldAccumulator.distinct");
        }
    }
}
