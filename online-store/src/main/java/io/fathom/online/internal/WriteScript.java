package io.fathom.online.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The atomic "newer wins" write, as a Lua script run with {@code EVALSHA}: {@code KEYS[1]} the key,
 * {@code ARGV[1]} the new value ({@link SnapshotValue} layout: the 17-byte header, then the state bytes as they came), {@code ARGV[2]} the absolute expiry in epoch
 * millis ({@code event_ts + ttl}). It reads the 17-byte header of the current value ({@code GETRANGE}),
 * compares bytes 2–17 ({@code event_ts}, {@code created_ts}, order-preserving) byte by byte, and only if
 * the new value is strictly newer sets it with {@code PXAT} (value and expiry in one command; an expiry
 * already past deletes the key). Returns 1 when written, 0 when the stored value was newer or equal.
 * Redis runs a script atomically, so two writers of one key cannot interleave.
 */
public final class WriteScript {
    public static final String SOURCE =
            """
            local old = redis.call('GETRANGE', KEYS[1], 0, 16)
            local new = ARGV[1]
            if #old == 17 then
              for i = 2, 17 do
                local a, b = string.byte(old, i), string.byte(new, i)
                if b > a then break end
                if b < a or i == 17 then return 0 end
              end
            end
            redis.call('SET', KEYS[1], new, 'PXAT', ARGV[2])
            return 1
            """;

    /** The script's SHA-1, as Redis computes it for {@code EVALSHA}. */
    public static final String SHA = sha1(SOURCE);

    private WriteScript() {}

    private static String sha1(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }
}
