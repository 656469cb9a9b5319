package io.fathom.schemas;

import static io.fathom.schemas.BinaryReader.DOUBLE_SIZE;
import static io.fathom.schemas.BinaryReader.LONG_LE;
import static io.fathom.schemas.BinaryReader.NULL;
import static io.fathom.schemas.BinaryReader.VALUE_BOOLEAN;
import static io.fathom.schemas.BinaryReader.VALUE_DOUBLE;
import static io.fathom.schemas.BinaryReader.VALUE_LONG;
import static io.fathom.schemas.BinaryReader.VALUE_STRING;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.avro.util.Utf8;

/**
 * Writes the Avro binary primitives into an array sized beforehand with the {@code size} functions
 * here, so it never grows and needs no bounds checks of its own: encoding is a sizing pass (which also
 * checks what the writer assumes, such as the types of union values) and a writing pass. The sizes are
 * exact but for strings, which count three bytes a char (the most UTF-8 takes): cheaper than measuring
 * each string's UTF-8.
 */
final class BinaryWriter {
    final byte[] buf;
    int pos;

    BinaryWriter(int maxSize) {
        this.buf = new byte[maxSize];
    }

    /** The bytes written: the array itself when the size was exact. */
    byte[] toByteArray() {
        return pos == buf.length ? buf : Arrays.copyOf(buf, pos);
    }

    /** Types were checked while sizing ({@link #maxValueSize}). Strings are converted as Avro's encoder does. */
    void value(Object value) {
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
            writeBytes(u.getBytes(), 0, u.getByteLength());
        } else if (value instanceof CharSequence s) {
            writeIndex(VALUE_STRING);
            writeString(s.toString());
        } else {
            writeIndex(VALUE_BOOLEAN);
            buf[pos++] = (byte) ((Boolean) value ? 1 : 0);
        }
    }

    /** A union index below 64 is one zig-zag byte. */
    void writeIndex(int index) {
        buf[pos++] = (byte) (index << 1);
    }

    void writeLong(long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            buf[pos++] = (byte) (n | 0x80);
            n >>>= 7;
        }
        buf[pos++] = (byte) n;
    }

    void writeDouble(double value) {
        LONG_LE.set(buf, pos, Double.doubleToRawLongBits(value));
        pos += DOUBLE_SIZE;
    }

    void writeString(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeBytes(utf8, 0, utf8.length);
    }

    /** A length-prefixed string or bytes value. */
    void writeBytes(byte[] bytes, int offset, int length) {
        writeLong(length);
        writeFixed(bytes, offset, length);
    }

    /** A length-prefixed bytes value: the buffer's remaining bytes, its position left alone. */
    void writeBytes(ByteBuffer bytes) {
        int length = bytes.remaining();
        writeLong(length);
        writeFixed(bytes);
    }

    /** Raw bytes, no length: an already encoded part of the record. */
    void writeFixed(byte[] bytes, int offset, int length) {
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
    }

    /** Raw bytes, no length: the buffer's remaining bytes, its position left alone. */
    void writeFixed(ByteBuffer bytes) {
        int length = bytes.remaining();
        bytes.get(bytes.position(), buf, pos, length);
        pos += length;
    }

    // ---- Sizing ----

    /**
     * The most bytes {@link #value} writes for {@code value}.
     *
     * @throws IllegalArgumentException if the union cannot hold the value; the message says where it was
     *     ({@code name}) and what it held
     */
    static long maxValueSize(Object value, String name) {
        return maxValueSize(value, "", name);
    }

    /**
     * As {@link #maxValueSize(Object, String)}, the value named {@code prefix + name} in the error: joined only
     * when it is thrown, since the sizes of every snapshot's values are taken on ingest's path.
     */
    static long maxValueSize(Object value, String prefix, String name) {
        if (value == null) {
            return 1;
        } else if (value instanceof Long l) {
            return 1 + varLongSize(l);
        } else if (value instanceof Double) {
            return 1 + DOUBLE_SIZE;
        } else if (value instanceof Utf8 u) {
            return 1 + bytesSize(u.getByteLength());
        } else if (value instanceof CharSequence s) {
            return 1 + maxStringSize(s);
        } else if (value instanceof Boolean) {
            return 2;
        }
        throw new IllegalArgumentException(
                prefix + name + " holds a " + value.getClass().getName() + " (" + value
                        + "); its union [\"null\",\"long\",\"double\",\"string\",\"boolean\"] takes null, Long, Double,"
                        + " CharSequence or Boolean");
    }

    /** The most bytes {@link #writeString} writes for {@code s}. */
    static long maxStringSize(CharSequence s) {
        return bytesSize(3L * s.length());
    }

    /** The count before the items (none when empty) and the 0 after them. */
    static int arrayOverhead(int count) {
        return count == 0 ? 1 : varLongSize(count) + 1;
    }

    static long bytesSize(long length) {
        return varLongSize(length) + length;
    }

    static int varLongSize(long value) {
        long zigZag = (value << 1) ^ (value >> 63);
        return (63 - Long.numberOfLeadingZeros(zigZag | 1)) / 7 + 1;
    }

    /** {@code size} as an array length, or a message naming what was too large. */
    static int checkedSize(long size, String what) {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " too large to encode: up to " + size + " bytes");
        }
        return (int) size;
    }
}
