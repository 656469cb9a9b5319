package io.fathom.online.internal;

import io.fathom.online.RedisConnection;
import io.fathom.online.RedisStoreConfig;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The Lettuce side of the Redis store: client resources, a client (standalone or cluster) and two
 * connections with a byte-array codec — one for reads, flushed per command, and one for writes, with
 * auto-flush off so a batch goes out as one pipelined burst. Both connections see the same interface,
 * {@link RedisClusterAsyncCommands}, whichever the client.
 *
 * <p>Failure behaviour: every command times out (reads after the command timeout, writes after the write
 * timeout); while disconnected,
 * commands are rejected at once ({@code REJECT_COMMANDS}) rather than queued; the request queue is bounded;
 * the client reconnects by itself with exponential back-off capped at {@code reconnectDelayMax}.
 */
public final class RedisConnections implements AutoCloseable {
    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final StatefulConnection<byte[], byte[]> reads;
    private final StatefulConnection<byte[], byte[]> writes;
    private final RedisClusterAsyncCommands<byte[], byte[]> readCommands;
    private final RedisClusterAsyncCommands<byte[], byte[]> writeCommands;

    private RedisConnections(
            ClientResources resources,
            AbstractRedisClient client,
            StatefulConnection<byte[], byte[]> reads,
            RedisClusterAsyncCommands<byte[], byte[]> readCommands,
            StatefulConnection<byte[], byte[]> writes,
            RedisClusterAsyncCommands<byte[], byte[]> writeCommands) {
        this.resources = resources;
        this.client = client;
        this.reads = reads;
        this.readCommands = readCommands;
        this.writes = writes;
        this.writeCommands = writeCommands;
    }

    /**
     * Connects both connections.
     *
     * @throws io.lettuce.core.RedisException if Redis cannot be reached; everything opened is closed again
     */
    public static RedisConnections open(RedisEndpoint endpoint, RedisStoreConfig config) {
        ClientResources resources = DefaultClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(10), config.reconnectDelayMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        AbstractRedisClient client = null;
        try {
            RedisConnection connection = config.connection();
            endpoint.uris().forEach(uri -> {
                uri.setTimeout(config.connectTimeout()); // the handshake: commands get theirs from the timeout source
                if (connection.tls()) {
                    uri.setVerifyPeer(connection.verifyPeer() ? SslVerifyMode.FULL : SslVerifyMode.NONE);
                }
            });
            if (endpoint.cluster()) {
                RedisClusterClient cluster = RedisClusterClient.create(resources, endpoint.uris());
                client = cluster;
                cluster.setOptions(clusterOptions(config));
                StatefulRedisClusterConnection<byte[], byte[]> reads = cluster.connect(ByteArrayCodec.INSTANCE);
                StatefulRedisClusterConnection<byte[], byte[]> writes = cluster.connect(ByteArrayCodec.INSTANCE);
                writes.setAutoFlushCommands(false);
                connectEveryNode(cluster, reads);
                connectEveryNode(cluster, writes);
                return new RedisConnections(resources, client, reads, reads.async(), writes, writes.async());
            }
            RedisClient single = RedisClient.create(resources, endpoint.uris().get(0));
            client = single;
            single.setOptions(options(ClientOptions.builder(), config).build());
            StatefulRedisConnection<byte[], byte[]> reads = single.connect(ByteArrayCodec.INSTANCE);
            StatefulRedisConnection<byte[], byte[]> writes = single.connect(ByteArrayCodec.INSTANCE);
            writes.setAutoFlushCommands(false);
            return new RedisConnections(resources, client, reads, reads.async(), writes, writes.async());
        } catch (RuntimeException e) {
            if (client != null) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Opens the connection to every node of the cluster now. Lettuce opens a node's connection when a command first
     * goes to it, and with {@code REJECT_COMMANDS} a command that finds its node's connection still opening is
     * rejected ("Currently not connected"): without this, the first write to each node failed.
     */
    private static void connectEveryNode(
            RedisClusterClient cluster, StatefulRedisClusterConnection<byte[], byte[]> connection) {
        for (RedisClusterNode node : cluster.getPartitions()) {
            // By host and port: commands routed by slot find their connection under that key, not the node id.
            connection.getConnection(node.getUri().getHost(), node.getUri().getPort());
        }
    }

    private static ClientOptions.Builder options(ClientOptions.Builder builder, RedisStoreConfig config) {
        RedisConnection connection = config.connection();
        if (connection.tls()) {
            builder.sslOptions(sslOptions(connection));
        }
        return builder.autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .requestQueueSize(config.requestQueueSize())
                .timeoutOptions(TimeoutOptions.builder()
                        .timeoutSource(new ReadWriteTimeouts(config))
                        .build())
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.connectTimeout())
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build());
    }

    /**
     * Whom TLS trusts: a PEM file of CA certificates, or a trust store with its password; the JVM's CAs if
     * neither is given.
     */
    private static SslOptions sslOptions(RedisConnection connection) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider();
        connection.trustStore().ifPresent(store -> {
            if (connection.trustStorePassword().isPresent()) {
                ssl.truststore(store.toFile(), connection.trustStorePassword().get());
            } else {
                ssl.trustManager(store.toFile());
            }
        });
        return ssl.build();
    }

    private static ClusterClientOptions clusterOptions(RedisStoreConfig config) {
        ClusterClientOptions.Builder builder = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build());
        options(builder, config);
        return builder.build();
    }

    /** Write commands (the script and its loading) get the write timeout, everything else the read timeout. */
    private static final class ReadWriteTimeouts extends TimeoutOptions.TimeoutSource {
        private final long readMillis;
        private final long writeMillis;

        ReadWriteTimeouts(RedisStoreConfig config) {
            this.readMillis = config.commandTimeout().toMillis();
            this.writeMillis = config.writeTimeout().toMillis();
        }

        @Override
        public long getTimeout(RedisCommand<?, ?, ?> command) {
            ProtocolKeyword type = command.getType();
            return type == CommandType.EVALSHA || type == CommandType.SCRIPT ? writeMillis : readMillis;
        }

        @Override
        public TimeUnit getTimeUnit() {
            return TimeUnit.MILLISECONDS;
        }
    }

    /** Commands on the read connection (flushed as issued). */
    public RedisClusterAsyncCommands<byte[], byte[]> reads() {
        return readCommands;
    }

    /** Commands on the write connection: nothing is sent until {@link #flushWrites()}. */
    public RedisClusterAsyncCommands<byte[], byte[]> writes() {
        return writeCommands;
    }

    public void flushWrites() {
        writes.flushCommands();
    }

    @Override
    public void close() {
        try {
            writes.close();
            reads.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
