package io.fathom.schemas;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over the Avro binary encoding of one record of {@code FeatureSnapshot.avsc}, in {@code
 * buf[start, limit)}: the primitives of the Avro specification ("Binary Encoding") that {@link
 * EntityStateCodec} and {@link SnapshotCodec} are written in, each checked against the end of the
 * input so that truncated or malformed bytes throw an {@link IllegalArgumentException} naming the
 * record, the field and the offset (counted from {@code start}) instead of reading past the end or
 * allocating what a corrupt length claims.
 */
final class BinaryReader {
    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final int DOUBLE_SIZE = 8;

    // Branches of the ["null","long","double","string","boolean"] union of accumulator and feature values.
    static final int NULL = 0;
    static final int VALUE_LONG = 1;
    static final int VALUE_DOUBLE = 2;
    static final int VALUE_STRING = 3;
    static final int VALUE_BOOLEAN = 4;

    final byte[] buf;
    final int start;
    final int limit;
    /** What the input is, for messages: {@code EntityState}, {@code FeatureSnapshot}, ... */
    final String record;

    int pos;

    BinaryReader(byte[] buf, int start, int limit, String record) {
        this.buf = buf;
        this.start = start;
        this.limit = limit;
        this.record = record;
        this.pos = start;
    }

    /** Whether the whole input has been read: how a trailing field added later is told apart from its absence. */
    boolean atEnd() {
        return pos == limit;
    }

    /** Fails unless the record ended exactly at the end of the input. */
    void requireEnd() {
        if (pos != limit) {
            throw new IllegalArgumentException("malformed " + record + ": the record ends at offset " + (pos - start)
                    + " but the input has " + (limit - start) + " bytes");
        }
    }

    /** A value of the ["null","long","double","string","boolean"] union. */
    Object value(String name) {
        return switch (readIndex(name, VALUE_BOOLEAN)) {
            case NULL -> null;
            case VALUE_LONG -> readLong(name);
            case VALUE_DOUBLE -> readDouble(name);
            case VALUE_STRING -> readString(name);
            case VALUE_BOOLEAN -> readBoolean(name);
            default -> throw new IllegalStateException("readIndex let a bad branch through");
        };
    }

    /** Reads a value of the ["null","long","double","string","boolean"] union into {@code visitor}, unboxed. */
    void visitValue(String name, String feature, FeatureValues.Visitor visitor) {
        switch (readIndex(name, VALUE_BOOLEAN)) {
            case NULL -> visitor.onNull(feature);
            case VALUE_LONG -> visitor.onLong(feature, readLong(name));
            case VALUE_DOUBLE -> visitor.onDouble(feature, readDouble(name));
            case VALUE_STRING -> visitor.onString(feature, readString(name));
            case VALUE_BOOLEAN -> visitor.onBoolean(feature, readBoolean(name));
            default -> throw new IllegalStateException("readIndex let a bad branch through");
        }
    }

    /** Skips a value of the ["null","long","double","string","boolean"] union, checking it as {@link #value} does. */
    void skipValue(String name) {
        switch (readIndex(name, VALUE_BOOLEAN)) {
            case NULL -> {}
            case VALUE_LONG -> readLong(name);
            case VALUE_DOUBLE -> skipDouble(name);
            case VALUE_STRING -> skipBytes(name);
            case VALUE_BOOLEAN -> readBoolean(name);
            default -> throw new IllegalStateException("readIndex let a bad branch through");
        }
    }

    /**
     * The item count of the next block of an array or map, 0 at its end. A negative count is followed by
     * the block's size in bytes, which is checked and skipped. {@code minItemSize} bounds the count by the
     * bytes left, so a corrupt count cannot make us allocate.
     */
    long blockCount(String name, int minItemSize) {
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
            if (blockSize > limit - pos) {
                throw truncated(name, "; its array block of " + blockSize + " bytes does not fit");
            }
        }
        if (count > (limit - pos) / minItemSize) {
            throw truncated(
                    name,
                    "; its array block of " + count + " items, each at least " + minItemSize + " bytes, does not fit");
        }
        return count;
    }

    int readIndex(String name, int maxIndex) {
        int at = pos;
        long index = readLong(name);
        if (index < 0 || index > maxIndex) {
            pos = at; // for the message
            throw malformed(name, "union branch " + index + " (the union has branches 0 to " + maxIndex + ")");
        }
        return (int) index;
    }

    int readLength(String name) {
        int at = pos;
        long length = readLong(name);
        if (length < 0) {
            pos = at; // for the message
            throw malformed(name, "negative length " + length);
        }
        if (length > limit - pos) {
            throw truncated(name, "; its " + length + " bytes do not fit");
        }
        return (int) length;
    }

    String readString(String name) {
        int length = readLength(name);
        String s = new String(buf, pos, length, StandardCharsets.UTF_8);
        pos += length;
        return s;
    }

    /** Skips a string or bytes value; returns where its content starts. */
    int skipBytes(String name) {
        int length = readLength(name);
        int at = pos;
        pos += length;
        return at;
    }

    boolean readBoolean(String name) {
        require(1, name);
        byte b = buf[pos];
        if (b != 0 && b != 1) {
            throw malformed(name, "boolean byte " + b + " is neither 0 nor 1");
        }
        pos++;
        return b == 1;
    }

    long readLong(String name) {
        byte[] b = buf;
        int p = pos;
        long n = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= limit) {
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

    double readDouble(String name) {
        require(DOUBLE_SIZE, name);
        double value = Double.longBitsToDouble((long) LONG_LE.get(buf, pos));
        pos += DOUBLE_SIZE;
        return value;
    }

    void skipDouble(String name) {
        require(DOUBLE_SIZE, name);
        pos += DOUBLE_SIZE;
    }

    private void require(int bytes, String name) {
        if (bytes > limit - pos) {
            throw truncated(name, "");
        }
    }

    IllegalArgumentException truncated(String name, String detail) {
        return new IllegalArgumentException("truncated " + record + ": the input ends after " + (limit - start)
                + " bytes, inside " + name + " at offset " + (pos - start) + detail);
    }

    IllegalArgumentException malformed(String name, String problem) {
        return new IllegalArgumentException("malformed " + record + ": " + name + " at offset " + (pos - start) + " of "
                + (limit - start) + ": " + problem);
    }
}
