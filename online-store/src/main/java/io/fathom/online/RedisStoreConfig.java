package io.fathom.online;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link RedisOnlineStore}; start from {@link #of(String, Map)} and change what differs.
 *
 * @param uri {@code redis://[password@]host:port[/db]} or {@code rediss://...} for one server; {@code
 *     redis-cluster://[password@]host1:port1,host2:port2} (or {@code rediss-cluster://}) for Redis Cluster,
 *     any reachable nodes as seeds
 * @param ttlByView the views the store serves and their ttl (see {@link OnlineStore#ttlByView})
 * @param commandTimeout how long a read command (one {@code MGET} for a batch) may take before it fails with
 *     {@link StoreUnavailableException}; default 500 ms
 * @param writeTimeout how long a write command may take, counted from when it is queued, so it includes the
 *     commands pipelined before it in its chunk; writes are not latency-critical and a dead server is
 *     detected at once anyway (commands are rejected while disconnected); default 5 s
 * @param connectTimeout how long opening a connection may take; default 1 s
 * @param reconnectDelayMax the cap of the exponential back-off between reconnect attempts after the server
 *     went away; default 1 s, so reads work again at most about a second after Redis returns
 * @param requestQueueSize commands a connection may hold that Redis has not answered yet; beyond it commands
 *     are rejected at once; default 65 536
 * @param writeChunk snapshots pipelined before waiting for their replies, within one {@link
 *     OnlineStore#write}; default 1 024
 */
public record RedisStoreConfig(
        String uri,
        Map<String, Duration> ttlByView,
        Duration commandTimeout,
        Duration writeTimeout,
        Duration connectTimeout,
        Duration reconnectDelayMax,
        int requestQueueSize,
        int writeChunk) {

    public RedisStoreConfig {
        Objects.requireNonNull(uri, "uri");
        ttlByView = Map.copyOf(Objects.requireNonNull(ttlByView, "ttlByView"));
        positive(commandTimeout, "commandTimeout");
        positive(writeTimeout, "writeTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(reconnectDelayMax, "reconnectDelayMax");
        if (requestQueueSize < 1) {
            throw new IllegalArgumentException("requestQueueSize must be >= 1, was " + requestQueueSize);
        }
        if (writeChunk < 1 || writeChunk > requestQueueSize) {
            throw new IllegalArgumentException(
                    "writeChunk must be in [1, requestQueueSize=" + requestQueueSize + "], was " + writeChunk);
        }
    }

    /**
     * The defaults: 500 ms read timeout, 5 s write timeout, 1 s connect timeout, reconnect at least every
     * second.
     */
    public static RedisStoreConfig of(String uri, Map<String, Duration> ttlByView) {
        return new RedisStoreConfig(
                uri,
                ttlByView,
                Duration.ofMillis(500),
                Duration.ofSeconds(5),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                65_536,
                1_024);
    }

    public RedisStoreConfig withCommandTimeout(Duration timeout) {
        return new RedisStoreConfig(
                uri, ttlByView, timeout, writeTimeout, connectTimeout, reconnectDelayMax, requestQueueSize, writeChunk);
    }

    public RedisStoreConfig withWriteTimeout(Duration timeout) {
        return new RedisStoreConfig(
                uri,
                ttlByView,
                commandTimeout,
                timeout,
                connectTimeout,
                reconnectDelayMax,
                requestQueueSize,
                writeChunk);
    }

    public RedisStoreConfig withConnectTimeout(Duration timeout) {
        return new RedisStoreConfig(
                uri, ttlByView, commandTimeout, writeTimeout, timeout, reconnectDelayMax, requestQueueSize, writeChunk);
    }

    public RedisStoreConfig withReconnectDelayMax(Duration delay) {
        return new RedisStoreConfig(
                uri, ttlByView, commandTimeout, writeTimeout, connectTimeout, delay, requestQueueSize, writeChunk);
    }

    public RedisStoreConfig withRequestQueueSize(int size) {
        return new RedisStoreConfig(
                uri,
                ttlByView,
                commandTimeout,
                writeTimeout,
                connectTimeout,
                reconnectDelayMax,
                size,
                Math.min(writeChunk, size));
    }

    public RedisStoreConfig withWriteChunk(int chunk) {
        return new RedisStoreConfig(
                uri,
                ttlByView,
                commandTimeout,
                writeTimeout,
                connectTimeout,
                reconnectDelayMax,
                requestQueueSize,
                chunk);
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
