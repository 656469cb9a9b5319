package io.fathom.benchmarks;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-Redis anchor without {@code redis-benchmark}: Lettuce with a byte-array codec, the client and codec
 * {@code RedisOnlineStore} uses, minus everything Fathom does (key building, value decoding, window
 * evaluation). One connection per calling thread.
 */
final class RawLettuce implements AutoCloseable {
    private final RedisClient client;
    private final List<StatefulRedisConnection<byte[], byte[]>> connections = new ArrayList<>();

    RawLettuce(String uri) {
        this.client = RedisClient.create(uri);
    }

    /** A connection of its own for one thread (Lettuce connections are thread-safe, but a thread each mirrors {@code -c n}). */
    synchronized StatefulRedisConnection<byte[], byte[]> connect() {
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        connections.add(connection);
        return connection;
    }

    /** One MGET, waiting for its reply. */
    static void mget(StatefulRedisConnection<byte[], byte[]> connection, byte[][] keys) {
        List<KeyValue<byte[], byte[]>> values = connection.sync().mget(keys);
        if (values.size() != keys.length || !values.get(0).hasValue()) {
            throw new IllegalStateException("MGET returned " + values.size() + " values for " + keys.length + " keys");
        }
    }

    /**
     * {@code depth} MGETs written in one flush, then all replies awaited: what {@code redis-benchmark -P depth}
     * does. The connection must have auto-flush off.
     */
    static void pipelinedMget(StatefulRedisConnection<byte[], byte[]> connection, byte[][] keys, int depth) {
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> replies = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            replies.add(connection.async().mget(keys));
        }
        connection.flushCommands();
        if (!LettuceFutures.awaitAll(Duration.ofSeconds(10), replies.toArray(new RedisFuture[0]))) {
            throw new IllegalStateException("pipelined MGETs did not complete within 10 s");
        }
    }

    /** SET then GET of the same key, each awaited: the store's write and read round trips without Fathom. */
    static void setThenGet(StatefulRedisConnection<byte[], byte[]> connection, byte[] key, byte[] value) {
        connection.sync().set(key, value);
        if (connection.sync().get(key) == null) {
            throw new IllegalStateException("GET after SET returned nothing");
        }
    }

    @Override
    public synchronized void close() {
        for (StatefulRedisConnection<byte[], byte[]> connection : connections) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
