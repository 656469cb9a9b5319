package io.fathom.online;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of a {@link RedisOnlineStore}; start from {@link #builder()}, whose fields hold the defaults.
 *
 * @param uri {@code redis://[password@]host:port[/db]} or {@code rediss://...} for one server; {@code
 *     redis-cluster://[password@]host1:port1,host2:port2} (or {@code rediss-cluster://}) for Redis Cluster,
 *     any reachable nodes as seeds
 * @param ttlByView the views the store serves and their ttl (see {@link OnlineStore#ttlByView})
 * @param commandTimeout how long a read command (one {@code MGET} for a batch) may take before it fails with
 *     {@link StoreUnavailableException}
 * @param writeTimeout how long a write command may take, counted from when it is queued, so it includes the
 *     commands pipelined before it in its chunk; writes are not latency-critical and a dead server is
 *     detected at once anyway (commands are rejected while disconnected)
 * @param connectTimeout how long opening a connection may take
 * @param reconnectDelayMax the cap of the exponential back-off between reconnect attempts after the server
 *     went away, so reads work again at most about that long after Redis returns
 * @param requestQueueSize commands a connection may hold that Redis has not answered yet; beyond it commands
 *     are rejected at once
 * @param writeChunk snapshots pipelined before waiting for their replies, within one {@link
 *     OnlineStore#write}; at most {@code requestQueueSize}
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .uri(uri)
                .ttlByView(ttlByView)
                .commandTimeout(commandTimeout)
                .writeTimeout(writeTimeout)
                .connectTimeout(connectTimeout)
                .reconnectDelayMax(reconnectDelayMax)
                .requestQueueSize(requestQueueSize)
                .writeChunk(writeChunk);
    }

    /** {@link RedisStoreConfig}'s fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private String uri;
        /** Required. */
        private Map<String, Duration> ttlByView;
        /** Default 500 ms: a read against a dead Redis fails fast. */
        private Duration commandTimeout = Duration.ofMillis(500);
        /** Default 5 s. */
        private Duration writeTimeout = Duration.ofSeconds(5);
        /** Default 1 s. */
        private Duration connectTimeout = Duration.ofSeconds(1);
        /** Default 1 s: reconnect at least every second. */
        private Duration reconnectDelayMax = Duration.ofSeconds(1);
        /** Default 65 536. */
        private int requestQueueSize = 65_536;
        /** Default 1 024. */
        private int writeChunk = 1_024;

        private Builder() {}

        public Builder uri(String value) {
            this.uri = value;
            return this;
        }

        public Builder ttlByView(Map<String, Duration> ttls) {
            this.ttlByView = ttls;
            return this;
        }

        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = timeout;
            return this;
        }

        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = timeout;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder reconnectDelayMax(Duration delay) {
            this.reconnectDelayMax = delay;
            return this;
        }

        public Builder requestQueueSize(int size) {
            this.requestQueueSize = size;
            return this;
        }

        public Builder writeChunk(int chunk) {
            this.writeChunk = chunk;
            return this;
        }

        public RedisStoreConfig build() {
            return new RedisStoreConfig(
                    uri,
                    ttlByView,
                    commandTimeout,
                    writeTimeout,
                    connectTimeout,
                    reconnectDelayMax,
                    requestQueueSize,
                    writeChunk);
        }
    }
}
