package io.fathom.online.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The atomic "the later state wins" write, as a Lua script run with {@code EVALSHA}: {@code KEYS[1]} the key,
 * {@code ARGV[1]} the new value ({@link SnapshotValue} format 2: the 25-byte header, then the state bytes as
 * they came), {@code ARGV[2]} the absolute expiry in epoch millis ({@code event_ts + ttl}).
 *
 * <p>It reads the header of the stored value ({@code GETRANGE}, 25 bytes) and takes its order bytes: {@code
 * version, event_ts, created_ts} for format 2, and for format 1 (written before versions) version 0's bytes
 * followed by its two times. It compares them with bytes 2–25 of the new value byte by byte, and only if the
 * new value is strictly greater sets it with {@code PXAT} (value and expiry in one command; an expiry already
 * past deletes the key). A value of neither format is overwritten. Returns 1 when written, 0 when the stored
 * value was greater or equal (a replay). Redis runs a script atomically, so two writers of one key cannot
 * interleave. Byte by byte, because Lua compares strings with the C library's collation.
 */
public final class WriteScript {
    public static final String SOURCE =
            """
            local old = redis.call('GETRANGE', KEYS[1], 0, 24)
            local new = ARGV[1]
            local stored = nil
            if #old == 25 and string.byte(old, 1) == 2 then
              stored = string.sub(old, 2, 25)
            elseif #old >= 17 and string.byte(old, 1) == 1 then
              stored = '\\128\\0\\0\\0\\0\\0\\0\\0' .. string.sub(old, 2, 17)
            end
            if stored then
              for i = 1, 24 do
                local a, b = string.byte(stored, i), string.byte(new, i + 1)
                if b > a then break end
                if b < a or i == 24 then return 0 end
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
