package io.fathom.online.internal;

import io.fathom.online.StoredSnapshot;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value layout both stores keep for one entity of one view, format version 1:
 *
 * <pre>
 * offset  size  content
 *      0     1  format version, 0x01
 *      1     8  event_ts   (epoch millis, big-endian, sign bit flipped)
 *      9     8  created_ts (epoch millis, big-endian, sign bit flipped)
 *     17     n  the EntityState, plain Avro binary (schemas/FeatureSnapshot.avsc), no framing
 * </pre>
 *
 * Flipping the sign bit makes the unsigned byte order of bytes 1–16 equal to the numeric order of
 * {@code (event_ts, created_ts)}, so "is the new snapshot newer" is a plain byte comparison: the Redis
 * write script compares the 16 bytes without decoding numbers, and nothing depends on Lua's number
 * precision or the server's collation. The state's bytes are framed as they come and sliced back out as
 * they are: only schemas' codecs decode them. The evaluated {@code values} of a snapshot are not stored:
 * reads evaluate the windows at read time from the state.
 */
public final class SnapshotValue {
    public static final byte VERSION = 1;
    /** Bytes before the state: version, event_ts, created_ts. */
    public static final int HEADER = 17;

    private SnapshotValue() {}

    public static byte[] encode(StoredSnapshot snapshot) {
        ByteBuffer state = snapshot.state();
        ByteBuffer out = ByteBuffer.allocate(HEADER + state.remaining());
        out.put(VERSION);
        out.putLong(snapshot.eventTs() ^ Long.MIN_VALUE);
        out.putLong(snapshot.createdTs() ^ Long.MIN_VALUE);
        out.put(state);
        return out.array();
    }

    /**
     * The snapshot a stored value holds, its state a slice of {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is not a version-1 value
     */
    public static StoredSnapshot decode(String view, String entityKey, byte[] value) {
        return new StoredSnapshot(
                view,
                entityKey,
                eventTs(value),
                createdTs(value),
                ByteBuffer.wrap(value, HEADER, value.length - HEADER));
    }

    public static long eventTs(byte[] value) {
        check(value);
        return ByteBuffer.wrap(value, 1, 8).getLong() ^ Long.MIN_VALUE;
    }

    public static long createdTs(byte[] value) {
        check(value);
        return ByteBuffer.wrap(value, 9, 8).getLong() ^ Long.MIN_VALUE;
    }

    /**
     * Whether {@code candidate} is strictly newer than {@code current} by {@code (event_ts, created_ts)}:
     * the comparison the Redis write script makes.
     */
    public static boolean newer(byte[] candidate, byte[] current) {
        return Arrays.compareUnsigned(candidate, 1, HEADER, current, 1, HEADER) > 0;
    }

    private static void check(byte[] value) {
        if (value.length < HEADER || value[0] != VERSION) {
            throw new IllegalArgumentException("not a version-" + VERSION + " snapshot value: " + value.length
                    + " bytes" + (value.length > 0 ? ", version byte " + value[0] : ""));
        }
    }
}
