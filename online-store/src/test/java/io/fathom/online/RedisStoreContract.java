package io.fathom.online;

import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;

/**
 * The store contract on a real Redis server: Redis's own (real) clock, and format-1 values put with a raw
 * Lettuce connection of the subclass.
 */
abstract class RedisStoreContract extends OnlineStoreContract<RedisOnlineStore> {

    /** A connection of the test's own to the server under test, outside the store. */
    protected abstract StatefulRedisConnection<byte[], byte[]> raw();

    @Override
    protected long now() {
        return System.currentTimeMillis();
    }

    @Override
    protected void passTime(long millis) {
        // Redis expires keys by its own (real) clock: the contract's Awaitility wait covers the time.
    }

    @Override
    protected void putFormat1Value(String view, String key, byte[] value) {
        raw().sync().set(("fathom:v1:" + view + ":" + key).getBytes(StandardCharsets.UTF_8), value);
    }
}
