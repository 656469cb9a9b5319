package io.fathom.schemas;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Objects;
import org.apache.avro.util.Utf8;

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

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    // Union branch indexes, in the order FeatureSnapshot.avsc declares them. Every union starts with
    // null; ["null","double"], ["null","long"] and ["null","bytes"] have one more branch, PRESENT;
    // first and last are ["null","long","double","string","boolean"].
    private static final int NULL = 0;
    private static final int PRESENT = 1;
    private static final int VALUE_LONG = 1;
    private static final int VALUE_DOUBLE = 2;
    private static final int VALUE_STRING = 3;
    private static final int VALUE_BOOLEAN = 4;

    private static final int DOUBLE_SIZE = 8;
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
        Writer out = new Writer(maxSizeOf(state));
        try {
            out.entityState(state);
        } catch (IndexOutOfBoundsException e) {
            throw new ConcurrentModificationException("EntityState changed while it was being encoded", e);
        }
        return out.pos == out.buf.length ? out.buf : Arrays.copyOf(out.buf, out.pos);
    }

    /**
     * Decodes the Avro binary encoding of one {@code EntityState} that fills {@code bytes} exactly.
     * Strings come back as {@link String}, {@code distinct} as a heap buffer of its own.
     *
     * @throws IllegalArgumentException if the bytes are truncated, malformed or followed by more bytes
     */
    public EntityState decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        Reader in = new Reader(bytes);
        EntityState state = in.entityState();
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException("malformed EntityState: the record ends at offset " + in.pos
                    + " but the input has " + bytes.length + " bytes");
        }
        return state;
    }

    // ---- Sizing: the first pass of encode, which also checks what the writer assumes ----

    /**
     * An upper bound of the encoded size, exact but for strings, which count three bytes a char (the
     * most UTF-8 takes), so that the writer never has to grow its array and needs no bounds checks of
     * its own. Cheaper than measuring each string's UTF-8 (measured: encoding is about 20% faster).
     */
    private static int maxSizeOf(EntityState state) {
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
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("EntityState too large to encode: up to " + size + " bytes");
        }
        return (int) size;
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

    private static long maxValueSize(Object value, String name) {
        if (value == null) {
            return 1;
        } else if (value instanceof Long l) {
            return 1 + varLongSize(l);
        } else if (value instanceof Double) {
            return 1 + DOUBLE_SIZE;
        } else if (value instanceof Utf8 u) {
            return 1 + bytesSize(u.getByteLength());
        } else if (value instanceof CharSequence s) {
            return 1 + bytesSize(3L * s.length());
        } else if (value instanceof Boolean) {
            return 2;
        }
        throw new IllegalArgumentException(name + " holds a " + value.getClass().getName()
                + "; its union [\"null\",\"long\",\"double\",\"string\",\"boolean\"] takes null, Long, Double,"
                + " CharSequence or Boolean");
    }

    /** The count before the items (none when empty) and the 0 after them. */
    private static int arrayOverhead(int count) {
        return count == 0 ? 1 : varLongSize(count) + 1;
    }

    private static long bytesSize(long length) {
        return varLongSize(length) + length;
    }

    private static int varLongSize(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        return (63 - Long.numberOfLeadingZeros(zigZag | 1)) / 7 + 1;
    }

    private static <T> List<T> requireList(List<T> list, String name) {
        if (list == null) {
            throw new NullPointerException(name + " is null");
        }
        return list;
    }

    // ---- Writing: the second pass, into an array of the bound's size ----

    private static final class Writer {
        final byte[] buf;
        int pos;

        Writer(int maxSize) {
            this.buf = new byte[maxSize];
        }

        void entityState(EntityState state) {
            writeLong(state.getLatestEventTs());
            List<Tile> tiles = state.getTiles();
            if (!tiles.isEmpty()) {
                writeLong(tiles.size());
                for (Tile tile : tiles) {
                    writeLong(tile.getIndex());
                    writeLong(tile.getEvents());
                    accumulators(tile.getFields());
                }
            }
            buf[pos++] = 0;
            accumulators(state.getLifetime());
        }

        private void accumulators(List<FieldAccumulator> accumulators) {
            if (!accumulators.isEmpty()) {
                writeLong(accumulators.size());
                for (FieldAccumulator acc : accumulators) {
                    accumulator(acc);
                }
            }
            buf[pos++] = 0;
        }

        private void accumulator(FieldAccumulator acc) {
            writeLong(acc.getCount());
            writeDouble(acc.getMean());
            writeDouble(acc.getM2());
            writeDouble(acc.getSum());
            optionalDouble(acc.getMin());
            optionalDouble(acc.getMax());
            optionalLong(acc.getFirstTs());
            value(acc.getFirst());
            optionalLong(acc.getLastTs());
            value(acc.getLast());
            ByteBuffer distinct = acc.getDistinct();
            if (distinct == null) {
                writeIndex(NULL);
            } else {
                writeIndex(PRESENT);
                int length = distinct.remaining();
                writeLong(length);
                distinct.get(distinct.position(), buf, pos, length);
                pos += length;
            }
        }

        private void optionalDouble(Double value) {
            if (value == null) {
                writeIndex(NULL);
            } else {
                writeIndex(PRESENT);
                writeDouble(value);
            }
        }

        private void optionalLong(Long value) {
            if (value == null) {
                writeIndex(NULL);
            } else {
                writeIndex(PRESENT);
                writeLong(value);
            }
        }

        /** Types were checked while sizing. Strings are converted as Avro's encoder does. */
        private void value(Object value) {
            if (value == null) {
                writeIndex(NULL);
            } else if (value instanceof Long l) {
                writeIndex(VALUE_LONG);
                writeLong(l);
            } else if (value instanceof Double d) {
                writeIndex(VALUE_DOUBLE);
                writeDouble(d);
            } else if (value instanceof Utf8 u) {
                writeIndex(VALUE_STRING);
                writeBytes(u.getBytes(), u.getByteLength());
            } else if (value instanceof CharSequence s) {
                writeIndex(VALUE_STRING);
                byte[] utf8 = s.toString().getBytes(StandardCharsets.UTF_8);
                writeBytes(utf8, utf8.length);
            } else {
                writeIndex(VALUE_BOOLEAN);
                buf[pos++] = (byte) ((Boolean) value ? 1 : 0);
            }
        }

        /** A union index below 64 is one zig-zag byte. */
        private void writeIndex(int index) {
            buf[pos++] = (byte) (index << 1);
        }

        private void writeLong(long value) {
            long n = (value << 1) ^ (value >> 63);
            while ((n & ~0x7FL) != 0) {
                buf[pos++] = (byte) (n | 0x80);
                n >>>= 7;
            }
            buf[pos++] = (byte) n;
        }

        private void writeDouble(double value) {
            LONG_LE.set(buf, pos, Double.doubleToRawLongBits(value));
            pos += DOUBLE_SIZE;
        }

        private void writeBytes(byte[] bytes, int length) {
            writeLong(length);
            System.arraycopy(bytes, 0, buf, pos, length);
            pos += length;
        }
    }

    // ---- Reading ----

    private static final class Reader {
        final byte[] buf;
        int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        EntityState entityState() {
            EntityState state = new EntityState();
            state.setLatestEventTs(readLong("EntityState.latest_event_ts"));
            long count = blockCount("EntityState.tiles", MIN_TILE_SIZE);
            List<Tile> tiles = new ArrayList<>((int) count);
            while (count != 0) {
                for (; count > 0; count--) {
                    tiles.add(tile());
                }
                count = blockCount("EntityState.tiles", MIN_TILE_SIZE);
            }
            state.setTiles(tiles);
            state.setLifetime(accumulators("EntityState.lifetime"));
            return state;
        }

        private Tile tile() {
            Tile tile = new Tile();
            tile.setIndex(readLong("Tile.index"));
            tile.setEvents(readLong("Tile.events"));
            tile.setFields(accumulators("Tile.fields"));
            return tile;
        }

        private List<FieldAccumulator> accumulators(String name) {
            long count = blockCount(name, MIN_ACCUMULATOR_SIZE);
            List<FieldAccumulator> accumulators = new ArrayList<>((int) count);
            while (count != 0) {
                for (; count > 0; count--) {
                    accumulators.add(accumulator());
                }
                count = blockCount(name, MIN_ACCUMULATOR_SIZE);
            }
            return accumulators;
        }

        private FieldAccumulator accumulator() {
            FieldAccumulator acc = new FieldAccumulator();
            acc.setCount(readLong("FieldAccumulator.count"));
            acc.setMean(readDouble("FieldAccumulator.mean"));
            acc.setM2(readDouble("FieldAccumulator.m2"));
            acc.setSum(readDouble("FieldAccumulator.sum"));
            acc.setMin(readIndex("FieldAccumulator.min", PRESENT) == NULL ? null : readDouble("FieldAccumulator.min"));
            acc.setMax(readIndex("FieldAccumulator.max", PRESENT) == NULL ? null : readDouble("FieldAccumulator.max"));
            acc.setFirstTs(
                    readIndex("FieldAccumulator.first_ts", PRESENT) == NULL
                            ? null
                            : readLong("FieldAccumulator.first_ts"));
            acc.setFirst(value("FieldAccumulator.first"));
            acc.setLastTs(
                    readIndex("FieldAccumulator.last_ts", PRESENT) == NULL
                            ? null
                            : readLong("FieldAccumulator.last_ts"));
            acc.setLast(value("FieldAccumulator.last"));
            if (readIndex("FieldAccumulator.distinct", PRESENT) != NULL) {
                int length = readLength("FieldAccumulator.distinct");
                acc.setDistinct(ByteBuffer.wrap(Arrays.copyOfRange(buf, pos, pos + length)));
                pos += length;
            }
            return acc;
        }

        private Object value(String name) {
            return switch (readIndex(name, VALUE_BOOLEAN)) {
                case NULL -> null;
                case VALUE_LONG -> readLong(name);
                case VALUE_DOUBLE -> readDouble(name);
                case VALUE_STRING -> readString(name);
                case VALUE_BOOLEAN -> readBoolean(name);
                default -> throw new IllegalStateException("readIndex let a bad branch through");
            };
        }

        /**
         * The item count of the next block of an array, 0 at its end. A negative count is followed by
         * the block's size in bytes, which is checked and skipped. {@code minItemSize} bounds the
         * count by the bytes left, so a corrupt count cannot make us allocate.
         */
        private long blockCount(String name, int minItemSize) {
            long count = readLong(name);
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw malformed(name, "array block count " + count);
                }
                count = -count;
                long blockSize = readLong(name);
                if (blockSize < 0) {
                    throw malformed(name, "negative array block size " + blockSize);
                }
                if (blockSize > buf.length - pos) {
                    throw truncated(name, "; its array block of " + blockSize + " bytes does not fit");
                }
            }
            if (count > (buf.length - pos) / minItemSize) {
                throw truncated(
                        name,
                        "; its array block of " + count + " items, each at least " + minItemSize
                                + " bytes, does not fit");
            }
            return count;
        }

        private int readIndex(String name, int maxIndex) {
            int start = pos;
            long index = readLong(name);
            if (index < 0 || index > maxIndex) {
                pos = start; // for the message
                throw malformed(name, "union branch " + index + " (the union has branches 0 to " + maxIndex + ")");
            }
            return (int) index;
        }

        private int readLength(String name) {
            int start = pos;
            long length = readLong(name);
            if (length < 0) {
                pos = start; // for the message
                throw malformed(name, "negative length " + length);
            }
            if (length > buf.length - pos) {
                throw truncated(name, "; its " + length + " bytes do not fit");
            }
            return (int) length;
        }

        private String readString(String name) {
            int length = readLength(name);
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        private boolean readBoolean(String name) {
            require(1, name);
            byte b = buf[pos];
            if (b != 0 && b != 1) {
                throw malformed(name, "boolean byte " + b + " is neither 0 nor 1");
            }
            pos++;
            return b == 1;
        }

        private long readLong(String name) {
            byte[] b = buf;
            int p = pos;
            long n = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (p >= b.length) {
                    throw truncated(name, "");
                }
                byte next = b[p++];
                n |= (long) (next & 0x7F) << shift;
                if (next >= 0) {
                    pos = p;
                    return (n >>> 1) ^ -(n & 1);
                }
            }
            throw malformed(name, "varint longer than 10 bytes");
        }

        private double readDouble(String name) {
            require(DOUBLE_SIZE, name);
            double value = Double.longBitsToDouble((long) LONG_LE.get(buf, pos));
            pos += DOUBLE_SIZE;
            return value;
        }

        private void require(int bytes, String name) {
            if (bytes > buf.length - pos) {
                throw truncated(name, "");
            }
        }

        private IllegalArgumentException truncated(String name, String detail) {
            return new IllegalArgumentException("truncated EntityState: the input ends after " + buf.length
                    + " bytes, inside " + name + " at offset " + pos + detail);
        }

        private IllegalArgumentException malformed(String name, String problem) {
            return new IllegalArgumentException(
                    "malformed EntityState: " + name + " at offset " + pos + " of " + buf.length + ": " + problem);
        }
    }
}
