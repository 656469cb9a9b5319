package io.fathom.schemas;

import static io.fathom.schemas.BinaryWriter.arrayOverhead;
import static io.fathom.schemas.BinaryWriter.checkedSize;
import static io.fathom.schemas.BinaryWriter.maxStringSize;
import static io.fathom.schemas.BinaryWriter.maxValueSize;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The evaluated features of a snapshot ({@code FeatureSnapshot.values}), kept in their Avro binary
 * encoding, a map of {@code ["null","long","double","string","boolean"]}, and decoded only when asked
 * ({@link #toMap()}): a reader that only moves the values along, or never looks at them, pays for no
 * map and no boxed values.
 *
 * <p>Instances are immutable and always hold a well-formed encoding: {@link #of} writes one, {@link
 * #fromAvro} and {@link SnapshotCodec#decode} check one, so {@link #toMap()} cannot fail. Two instances
 * are equal when their encodings are (the same map written in another order or in other blocks is not).
 */
public final class FeatureValues {
    /** An empty name (its length) and a null (its branch) take a byte each. */
    private static final int MIN_ENTRY_SIZE = 2;

    static final String NAME = "FeatureSnapshot.values";
    private static final FeatureValues EMPTY = new FeatureValues(new byte[] {0}, 0, 1);

    private final byte[] bytes;
    private final int offset;
    private final int length;

    private FeatureValues(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Encodes {@code values}, in its iteration order, as Avro writes the map.
     *
     * @throws NullPointerException if a name is null
     * @throws IllegalArgumentException if a value is not null, a Long, a Double, a CharSequence or a Boolean;
     *     the message names the feature and the value
     */
    public static FeatureValues of(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return EMPTY;
        }
        BinaryWriter out = new BinaryWriter(checkedSize(maxSizeOf(values), "feature values"));
        write(out, values);
        return new FeatureValues(out.buf, 0, out.pos);
    }

    /**
     * The values of an Avro binary encoding of the map that fills {@code avro} exactly (what {@link
     * #toAvro()} returns). The array is copied.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     */
    public static FeatureValues fromAvro(byte[] avro) {
        Objects.requireNonNull(avro, "avro");
        return fromAvro(avro, 0, avro.length);
    }

    /**
     * The values of an Avro binary encoding of the map that fills {@code avro[offset, offset + length)}
     * exactly (inside a larger record, say). The range is copied.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     * @throws IndexOutOfBoundsException if the range is not inside the array
     */
    public static FeatureValues fromAvro(byte[] avro, int offset, int length) {
        Objects.requireNonNull(avro, "avro");
        Objects.checkFromIndexSize(offset, length, avro.length);
        BinaryReader in = new BinaryReader(avro, offset, offset + length, "feature values");
        skip(in);
        in.requireEnd();
        return new FeatureValues(Arrays.copyOfRange(avro, offset, offset + length), 0, length);
    }

    /** The values at {@code bytes[from, to)}, which {@link #skip} has checked; shares the array. */
    static FeatureValues slice(byte[] bytes, int from, int to) {
        return new FeatureValues(bytes, from, to - from);
    }

    /** Moves {@code in} past one encoded map of values, checking it as {@link #toMap()} reads it. */
    static void skip(BinaryReader in) {
        for (long count = in.blockCount(NAME, MIN_ENTRY_SIZE);
                count != 0;
                count = in.blockCount(NAME, MIN_ENTRY_SIZE)) {
            for (; count > 0; count--) {
                in.skipBytes(NAME);
                in.skipValue(NAME);
            }
        }
    }

    /**
     * Decodes the values, by feature name, in the order they were encoded: Long, Double, String, Boolean or
     * null. A fresh, modifiable map each call.
     */
    public Map<String, Object> toMap() {
        BinaryReader in = new BinaryReader(bytes, offset, offset + length, "feature values");
        long count = in.blockCount(NAME, MIN_ENTRY_SIZE);
        Map<String, Object> values = new LinkedHashMap<>((int) Math.min(count * 2, 1 << 16));
        while (count != 0) {
            for (; count > 0; count--) {
                String name = in.readString(NAME);
                values.put(name, in.value(NAME));
            }
            count = in.blockCount(NAME, MIN_ENTRY_SIZE);
        }
        return values;
    }

    /** Receives the values {@link #forEach} decodes: each with its feature's name, typed, numbers unboxed. */
    public interface Visitor {
        void onNull(String name);

        void onLong(String name, long value);

        void onDouble(String name, double value);

        void onString(String name, String value);

        void onBoolean(String name, boolean value);
    }

    /**
     * Hands every value to {@code visitor}, in the order they were encoded, without building a map or boxing a
     * number: for a reader that folds the values into its own state (the monitor's windows). A name encoded twice
     * is handed over twice, the later value last (the one {@link #toMap()} keeps).
     */
    public void forEach(Visitor visitor) {
        visit(visitor, null);
    }

    /**
     * {@link #forEach(Visitor)}, the names taken from {@code names} where they repeat the last snapshot's: for a
     * reader of many snapshots of one view, which then decodes each name once.
     */
    public void forEach(Visitor visitor, FeatureNames names) {
        visit(visitor, Objects.requireNonNull(names, "names"));
    }

    private void visit(Visitor visitor, FeatureNames names) {
        Objects.requireNonNull(visitor, "visitor");
        BinaryReader in = new BinaryReader(bytes, offset, offset + length, "feature values");
        int ordinal = 0;
        for (long count = in.blockCount(NAME, MIN_ENTRY_SIZE);
                count != 0;
                count = in.blockCount(NAME, MIN_ENTRY_SIZE)) {
            for (; count > 0; count--) {
                String name = names == null ? in.readString(NAME) : names.read(ordinal++, in);
                in.visitValue(NAME, name, visitor);
            }
        }
    }

    /** The Avro binary encoding of the map, a copy. */
    public byte[] toAvro() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** The length of the encoding in bytes. */
    public int encodedSize() {
        return length;
    }

    void writeTo(BinaryWriter out) {
        out.writeFixed(bytes, offset, length);
    }

    // ---- Encoding a map, for of() and SnapshotCodec.encode ----

    /** The most bytes {@link #write} writes; checks the names and the types of the values. */
    static long maxSizeOf(Map<String, ?> values) {
        long size = arrayOverhead(values.size());
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            String name = Objects.requireNonNull(entry.getKey(), "a feature name is null");
            size += maxStringSize(name) + maxValueSize(entry.getValue(), "feature ", name);
        }
        return size;
    }

    /** Writes {@code values} as one block and its end, as Avro's writer does. */
    static void write(BinaryWriter out, Map<String, ?> values) {
        if (!values.isEmpty()) {
            out.writeLong(values.size());
            for (Map.Entry<String, ?> entry : values.entrySet()) {
                out.writeString(entry.getKey());
                out.value(entry.getValue());
            }
        }
        out.buf[out.pos++] = 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureValues other
                && Arrays.equals(
                        bytes, offset, offset + length, other.bytes, other.offset, other.offset + other.length);
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = offset; i < offset + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
