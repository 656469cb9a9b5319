package io.fathom.online.internal;

import java.nio.ByteBuffer;

/**
 * Values of format 1, as both stores wrote them before versions existed, built by hand from their documentation
 * (format byte 1, then event_ts and created_ts big-endian with the sign bit flipped, then the state's bytes): the
 * stores must still read them.
 */
public final class Format1Values {
    private Format1Values() {}

    public static byte[] of(long eventTs, long createdTs, byte[] state) {
        return ByteBuffer.allocate(17 + state.length)
                .put((byte) 1)
                .putLong(eventTs ^ Long.MIN_VALUE)
                .putLong(createdTs ^ Long.MIN_VALUE)
                .put(state)
                .array();
    }
}
