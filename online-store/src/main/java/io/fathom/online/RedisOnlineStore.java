package io.fathom.online;

import io.fathom.online.internal.RedisConnections;
import io.fathom.online.internal.RedisEndpoint;
import io.fathom.online.internal.RedisFailures;
import io.fathom.online.internal.RedisKeys;
import io.fathom.online.internal.SnapshotValue;
import io.fathom.online.internal.ViewTtls;
import io.fathom.online.internal.WriteScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link OnlineStore} on Redis, through Lettuce (one server, or Redis Cluster with a {@code
 * redis-cluster://} URI: see {@link RedisConnection#uri()}).
 *
 * <h2>Layout</h2>
 *
 * <ul>
 *   <li><b>Key</b> (key layout v1): {@code fathom:v1:<view>:<entityKey>}, UTF-8, the entity key in its
 *       canonical encoding. No hash tag: on a cluster, keys spread over all slots by their whole name.
 *   <li><b>Value</b> ({@code SnapshotValue}, format 2): a plain string of 25 header bytes — format {@code
 *       0x02}, the entity's version, {@code event_ts} and {@code created_ts} as big-endian longs with the sign
 *       bit flipped (byte order = numeric order) — followed by the {@code EntityState} in plain Avro binary.
 *       Values of format 1 (17 header bytes, no version), written before versions, still read, as version 0.
 *   <li><b>Expiry</b>: {@code PXAT event_ts + ttl}, the view's ttl: the key lives exactly as long as an
 *       online read could return it as present.
 * </ul>
 *
 * <h2>Operations</h2>
 *
 * <ul>
 *   <li><b>write</b>: one {@code EVALSHA} of a small Lua script per snapshot (see {@code WriteScript}):
 *       compare the stored header with the new one, and {@code SET ... PXAT} only if the new snapshot is
 *       strictly greater by {@code (version, event_ts, created_ts)} — atomic per key. The batch is pipelined on
 *       a connection of its own (auto-flush off, flushed per chunk) and awaited; after a Redis restart empties
 *       the script cache, {@code NOSCRIPT} replies load the script and the batch is sent again (safe: a replay
 *       never wins).
 *   <li><b>read</b>: one {@code MGET} for the whole batch (on a cluster, split by slot and run in parallel
 *       per node).
 *   <li><b>failures</b>: a read times out after {@link RedisStoreConfig#commandTimeout()} (500 ms by default), a
 *       write after {@link RedisStoreConfig#writeTimeout()} (5 s); while the connection is down commands are rejected at once, so a read against a dead Redis
 *       fails fast with {@link StoreUnavailableException}; the client reconnects by itself when Redis returns.
 * </ul>
 */
public final class RedisOnlineStore implements OnlineStore {
    /** How long a write waits for a reply before flushing its connection again (see {@link #awaitFlushing}). */
    private static final long REFLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RedisStoreConfig config;
    private final ViewTtls ttls;
    private final String name;
    private final RedisConnections connections;
    private final ReentrantLock writeLock = new ReentrantLock();

    private RedisOnlineStore(RedisStoreConfig config, ViewTtls ttls, String name, RedisConnections connections) {
        this.config = config;
        this.ttls = ttls;
        this.name = name;
        this.connections = connections;
    }

    /** A store at {@code uri} with the default settings of {@link RedisStoreConfig#builder()}. */
    public static RedisOnlineStore create(String uri, Map<String, Duration> ttlByView) {
        return create(RedisConnection.of(uri), ttlByView);
    }

    /** A store reached through {@code connection} with the default settings of {@link RedisStoreConfig#builder()}. */
    public static RedisOnlineStore create(RedisConnection connection, Map<String, Duration> ttlByView) {
        return create(RedisStoreConfig.builder()
                .connection(connection)
                .ttlByView(ttlByView)
                .build());
    }

    /**
     * Connects to Redis.
     *
     * @throws IllegalArgumentException for a malformed URI or view table
     * @throws StoreUnavailableException if Redis cannot be reached
     */
    public static RedisOnlineStore create(RedisStoreConfig config) {
        Objects.requireNonNull(config, "config");
        ViewTtls ttls = ViewTtls.of(config.ttlByView());
        RedisEndpoint endpoint = RedisEndpoint.parse(config.connection().uri());
        try {
            return new RedisOnlineStore(config, ttls, endpoint.description(), RedisConnections.open(endpoint, config));
        } catch (RuntimeException e) {
            throw RedisFailures.translate(endpoint.description(), "connect", e);
        }
    }

    @Override
    public void write(List<StoredSnapshot> snapshots) {
        Objects.requireNonNull(snapshots, "snapshots");
        if (snapshots.isEmpty()) {
            return;
        }
        String operation = "write of " + snapshots.size() + " snapshots";
        List<byte[][]> commands = new ArrayList<>(snapshots.size());
        for (StoredSnapshot snapshot : snapshots) {
            String view = snapshot.view();
            ttls.requireServed(name, operation, view);
            long expiresAt = Math.max(1, ttls.expiresAt(view, snapshot.eventTs()));
            commands.add(new byte[][] {
                RedisKeys.key(view, snapshot.entityKey()),
                SnapshotValue.encode(snapshot),
                Long.toString(expiresAt).getBytes(StandardCharsets.US_ASCII)
            });
        }
        writeLock.lock();
        try {
            for (int from = 0; from < commands.size(); from += config.writeChunk()) {
                writeChunk(commands.subList(from, Math.min(commands.size(), from + config.writeChunk())), operation);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void writeChunk(List<byte[][]> chunk, String operation) {
        try {
            if (!sendAndAwait(chunk, operation)) {
                // Redis lost its script cache (a restart, SCRIPT FLUSH): load it and send the chunk again.
                await(
                        connections.reads().scriptLoad(WriteScript.SOURCE.getBytes(StandardCharsets.UTF_8)),
                        operation,
                        writeWait());
                if (!sendAndAwait(chunk, operation)) {
                    throw new OnlineStoreException(
                            name, operation, "the write script is still unknown after loading it");
                }
            }
        } catch (RuntimeException e) {
            throw RedisFailures.translate(name, operation, e);
        }
    }

    /** Pipelines the chunk and waits for every reply; false if Redis did not know the script. */
    private boolean sendAndAwait(List<byte[][]> chunk, String operation) {
        RedisClusterAsyncCommands<byte[], byte[]> writes = connections.writes();
        List<RedisFuture<Long>> replies = new ArrayList<>(chunk.size());
        for (byte[][] command : chunk) {
            replies.add(writes.evalsha(
                    WriteScript.SHA, ScriptOutputType.INTEGER, new byte[][] {command[0]}, command[1], command[2]));
        }
        connections.flushWrites();
        boolean scriptKnown = true;
        OnlineStoreException failure = null;
        long deadline = System.nanoTime() + writeWait().toNanos();
        for (RedisFuture<Long> reply : replies) {
            try {
                awaitFlushing(reply, deadline);
            } catch (ExecutionException e) {
                if (RedisFailures.unwrap(e) instanceof RedisNoScriptException) {
                    scriptKnown = false;
                } else {
                    failure = firstOf(failure, RedisFailures.translate(name, operation, e));
                }
            } catch (TimeoutException e) {
                failure = firstOf(
                        failure, new StoreUnavailableException(name, operation, "no reply within " + writeWait(), e));
            } catch (InterruptedException e) {
                throw RedisFailures.interrupted(name, operation, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        return scriptKnown;
    }

    /**
     * Waits for a write's reply until the deadline, flushing the write connection again every few milliseconds: on a
     * cluster, a command redirected by {@code MOVED} or {@code ASK} (its slot moved) is queued again on the write
     * connection, whose auto-flush is off, and would wait there for the next batch.
     */
    private void awaitFlushing(RedisFuture<Long> reply, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                reply.get(Math.min(left, REFLUSH_NANOS), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException notYet) {
                connections.flushWrites();
            }
        }
    }

    private static OnlineStoreException firstOf(OnlineStoreException first, OnlineStoreException next) {
        if (first == null) {
            return next;
        }
        if (first.getSuppressed().length < 10) {
            first.addSuppressed(next);
        }
        return first;
    }

    @Override
    public List<StoredSnapshot> read(String view, List<String> entityKeys) {
        String operation = ttls.checkRead(name, view, entityKeys);
        if (entityKeys.isEmpty()) {
            return List.of();
        }
        byte[][] keys = new byte[entityKeys.size()][];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = RedisKeys.key(view, Objects.requireNonNull(entityKeys.get(i), "entity key"));
        }
        List<KeyValue<byte[], byte[]>> values;
        try {
            values = await(connections.reads().mget(keys), operation, replyWait());
        } catch (RuntimeException e) {
            throw RedisFailures.translate(name, operation, e);
        }
        List<StoredSnapshot> result = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            KeyValue<byte[], byte[]> value = values.get(i);
            result.add(value.hasValue() ? decode(view, entityKeys.get(i), value.getValue(), operation) : null);
        }
        return Collections.unmodifiableList(result);
    }

    private StoredSnapshot decode(String view, String entityKey, byte[] value, String operation) {
        try {
            return SnapshotValue.decode(view, entityKey, value);
        } catch (IllegalArgumentException e) {
            throw new OnlineStoreException(name, operation, "a value of view " + view + " is not readable", e);
        }
    }

    /**
     * Waits for a reply. Lettuce times every command out (see {@link RedisStoreConfig}); the wait here, twice
     * that, is a second bound in case a reply is never completed.
     */
    private <T> T await(RedisFuture<T> reply, String operation, Duration wait) {
        try {
            return reply.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw RedisFailures.interrupted(name, operation, e);
        } catch (ExecutionException e) {
            throw RedisFailures.translate(name, operation, e);
        } catch (TimeoutException e) {
            throw new StoreUnavailableException(name, operation, "no reply within " + wait, e);
        }
    }

    private Duration writeWait() {
        return config.writeTimeout().multipliedBy(2).plusMillis(100);
    }

    private Duration replyWait() {
        return config.commandTimeout().multipliedBy(2).plusMillis(100);
    }

    /** {@code redis redis://host:port} or {@code redis cluster ...}: how messages name this store. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        connections.close();
    }

    @Override
    public String toString() {
        return "RedisOnlineStore[" + name + "]";
    }
}
