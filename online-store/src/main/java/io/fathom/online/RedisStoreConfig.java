package io.fathom.online;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link RedisOnlineStore}; start from {@link #builder()}, preset with the defaults below.
 *
 * @param connection where Redis is and how to reach it: the URI (ACL user and password, {@code rediss://} for
 *     TLS), the trust store, peer verification; required
 * @param ttlByView the views the store serves and their ttl (see {@link OnlineStore#ttlByView}); required
 * @param commandTimeout how long a read command (one {@code MGET} for a batch) may take before it fails with
 *     {@link StoreUnavailableException}; default 500 ms: a read against a dead Redis fails fast
 * @param writeTimeout how long a write command may take, counted from when it is queued, so it includes the
 *     commands pipelined before it in its chunk; writes are not latency-critical and a dead server is
 *     detected at once anyway (commands are rejected while disconnected). Default 5 s
 * @param connectTimeout how long opening a connection may take: the TCP connection, the TLS handshake and the
 *     login together; default 5 s (a TLS handshake on a loaded machine took more than 500 ms)
 * @param reconnectDelayMax the cap of the exponential back-off between reconnect attempts after the server
 *     went away, so reads work again at most about that long after Redis returns; default 1 s
 * @param requestQueueSize commands a connection may hold that Redis has not answered yet; beyond it commands
 *     are rejected at once. Default 65 536
 * @param writeChunk snapshots pipelined before waiting for their replies, within one {@link
 *     OnlineStore#write}; at most {@code requestQueueSize}. Default 1 024
 */
@RecordBuilder
public record RedisStoreConfig(
        RedisConnection connection,
        Map<String, Duration> ttlByView,
        Duration commandTimeout,
        Duration writeTimeout,
        Duration connectTimeout,
        Duration reconnectDelayMax,
        int requestQueueSize,
        int writeChunk) {

    public RedisStoreConfig {
        Objects.requireNonNull(connection, "connection");
        ttlByView = Map.copyOf(Objects.requireNonNull(ttlByView, "ttlByView"));
        Checks.positive(commandTimeout, "commandTimeout");
        Checks.positive(writeTimeout, "writeTimeout");
        Checks.positive(connectTimeout, "connectTimeout");
        Checks.positive(reconnectDelayMax, "reconnectDelayMax");
        if (requestQueueSize < 1) {
            throw new IllegalArgumentException("requestQueueSize must be >= 1, was " + requestQueueSize);
        }
        if (writeChunk < 1 || writeChunk > requestQueueSize) {
            throw new IllegalArgumentException(
                    "writeChunk must be in [1, requestQueueSize=" + requestQueueSize + "], was " + writeChunk);
        }
    }

    /** A builder preset with the defaults; {@code connection} and {@code ttlByView} are required. */
    public static RedisStoreConfigBuilder builder() {
        return RedisStoreConfigBuilder.builder()
                .commandTimeout(Duration.ofMillis(500))
                .writeTimeout(Duration.ofSeconds(5))
                .connectTimeout(Duration.ofSeconds(5))
                .reconnectDelayMax(Duration.ofSeconds(1))
                .requestQueueSize(65_536)
                .writeChunk(1_024);
    }

    public RedisStoreConfigBuilder toBuilder() {
        return RedisStoreConfigBuilder.builder(this);
    }

    /** Every component; the connection's password hidden. */
    @Override
    public String toString() {
        return "RedisStoreConfig[connection=" + connection + ", ttlByView=" + ttlByView + ", commandTimeout="
                + commandTimeout + ", writeTimeout=" + writeTimeout + ", connectTimeout=" + connectTimeout
                + ", reconnectDelayMax=" + reconnectDelayMax + ", requestQueueSize=" + requestQueueSize
                + ", writeChunk=" + writeChunk + "]";
    }
}
