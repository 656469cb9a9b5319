package io.fathom.online.internal;

import io.fathom.online.StoredSnapshot;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value layout both stores keep for one entity of one view. Values are written in format 2:
 *
 * <pre>
 * offset  size  content
 *      0     1  format, 0x02
 *      1     8  version    (the entity's version, big-endian, sign bit flipped)
 *      9     8  event_ts   (epoch millis, big-endian, sign bit flipped)
 *     17     8  created_ts (epoch millis, big-endian, sign bit flipped)
 *     25     n  the EntityState, plain Avro binary (schemas/FeatureSnapshot.avsc), no framing
 * </pre>
 *
 * and values of format 1, written before versions existed, still read: the same without the version (the
 * times at offsets 1 and 9, the state at 17), read as version 0.
 *
 * <p>Flipping the sign bit makes the unsigned byte order of bytes 1–24 equal to the numeric order of {@code
 * (version, event_ts, created_ts)}, so "does the new snapshot supersede the stored one" is a plain byte
 * comparison: the Redis write script compares the 24 bytes without decoding numbers, and nothing depends on
 * Lua's number precision or the server's collation. The version comes first because it is ingest's order of
 * an entity's states: an earlier event that arrives after a later one makes a newer state with the same
 * {@code event_ts}, and two updates can share a millisecond. The times order only states of equal versions,
 * which for ingest's snapshots means replays (identical) and otherwise states written without a version.
 *
 * <p>The state's bytes are framed as they come and sliced back out as they are: only schemas' codecs decode
 * them. The evaluated {@code values} of a snapshot are not stored: reads evaluate the windows at read time from
 * the state.
 */
public final class SnapshotValue {
    /** The format this class writes. */
    public static final byte FORMAT = 2;
    /** The format written before versions existed: no version, read as 0. */
    public static final byte FORMAT_1 = 1;
    /** Bytes before the state: format, version, event_ts, created_ts. */
    public static final int HEADER = 25;
    /** Bytes before the state in format 1: format, event_ts, created_ts. */
    public static final int HEADER_1 = 17;
    /** The bytes compared: version, event_ts, created_ts. */
    private static final int ORDER = 24;

    private SnapshotValue() {}

    public static byte[] encode(StoredSnapshot snapshot) {
        ByteBuffer state = snapshot.state();
        ByteBuffer out = ByteBuffer.allocate(HEADER + state.remaining());
        out.put(FORMAT);
        out.putLong(snapshot.version() ^ Long.MIN_VALUE);
        out.putLong(snapshot.eventTs() ^ Long.MIN_VALUE);
        out.putLong(snapshot.createdTs() ^ Long.MIN_VALUE);
        out.put(state);
        return out.array();
    }

    /**
     * The snapshot a stored value holds, its state a slice of {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is not a value of format 2 or 1
     */
    public static StoredSnapshot decode(String view, String entityKey, byte[] value) {
        int header = header(value);
        return new StoredSnapshot(
                view,
                entityKey,
                eventTs(value),
                createdTs(value),
                ByteBuffer.wrap(value, header, value.length - header),
                version(value));
    }

    /** The entity's version; 0 for a value of format 1. */
    public static long version(byte[] value) {
        return header(value) == HEADER_1 ? 0 : flipped(value, 1);
    }

    public static long eventTs(byte[] value) {
        return flipped(value, header(value) - 16);
    }

    public static long createdTs(byte[] value) {
        return flipped(value, header(value) - 8);
    }

    /**
     * Whether {@code candidate} supersedes {@code current}: it is greater by {@code (version, event_ts,
     * created_ts)}, the comparison the Redis write script makes. An equal one (a replay) does not.
     *
     * @param candidate a value of this format, as {@link #encode} writes it
     * @param current a stored value, of either format
     */
    public static boolean supersedes(byte[] candidate, byte[] current) {
        if (header(current) == HEADER) {
            return Arrays.compareUnsigned(candidate, 1, 1 + ORDER, current, 1, 1 + ORDER) > 0;
        }
        return Arrays.compareUnsigned(candidate, 1, 1 + ORDER, withVersionZero(current), 0, ORDER) > 0;
    }

    /** The 24 compared bytes of a value of format 1: version 0's bytes, then its times. */
    private static byte[] withVersionZero(byte[] value) {
        byte[] order = new byte[ORDER];
        order[0] = (byte) 0x80; // 0 with its sign bit flipped
        System.arraycopy(value, 1, order, 8, 16);
        return order;
    }

    private static long flipped(byte[] value, int offset) {
        return ByteBuffer.wrap(value, offset, 8).getLong() ^ Long.MIN_VALUE;
    }

    /** The header size of the value's format. */
    private static int header(byte[] value) {
        if (value.length >= HEADER && value[0] == FORMAT) {
            return HEADER;
        }
        if (value.length >= HEADER_1 && value[0] == FORMAT_1) {
            return HEADER_1;
        }
        throw new IllegalArgumentException("not a snapshot value of format " + FORMAT + " or " + FORMAT_1 + ": "
                + value.length + " bytes" + (value.length > 0 ? ", format byte " + value[0] : ""));
    }
}
