package io.fathom.monitor.internal;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store whose live state is objects in memory, written to a changelogged key-value store (the
 * <i>backing</i> store) only when the task commits.
 *
 * <p>Why: the drift windows change with every snapshot, and writing each one back through a store costs a
 * serialization, a RocksDB write and a changelog record per feature per snapshot — nearly all of the monitor's
 * time (benchmarks/README.md, "Monitor throughput"). Written at commit, each changed object costs that once
 * per commit interval instead.
 *
 * <p>How it stays exactly-once: before each commit Kafka Streams flushes the caches of a task's stores
 * ({@code ProcessorStateManager.flushCache}, from {@code StreamTask.prepareCommit}), and the records that
 * flush writes to the changelog belong to the transaction that also commits the input offsets. This store
 * takes part in that through Kafka Streams' {@link CachedStateStore} (the interface of its own record cache,
 * in an internal package: pinned by the Kafka version of the build, and checked by {@code
 * MonitorRestartIT}, which restarts the monitor mid-window from its changelog alone). So the changelog
 * always holds the state as of the last committed offset: a restart or a failover restores it and replays
 * the records after it, and an aborted transaction leaves nothing behind. The in-memory state is dropped on
 * {@link #init}, {@link #close} and {@link #clearCache} (a task recycled between standby and active, whose
 * backing store was restored underneath), and read back from the backing store on first use after that,
 * when restoration is over.
 *
 * <p>Subclasses keep their state in {@link #load} and write what changed in {@link #writeChanges}; their
 * accessors call {@link #ensureLoaded()} first. Not thread-safe: one task's stream thread uses it.
 */
abstract class FlushOnCommitStore implements StateStore, CachedStateStore<Object, Object> {
    private final KeyValueStore<String, byte[]> backing;
    private boolean loaded;

    FlushOnCommitStore(KeyValueStore<String, byte[]> backing) {
        this.backing = Objects.requireNonNull(backing, "backing");
    }

    /**
     * A builder of a store over the key-value store {@code backing} builds (with its name, changelog and
     * settings).
     */
    static <S extends FlushOnCommitStore> StoreBuilder<S> builder(
            StoreBuilder<KeyValueStore<String, byte[]>> backing, Function<KeyValueStore<String, byte[]>, S> store) {
        return new Builder<>(backing, store);
    }

    /** Clears the in-memory state; the next accessor reads it from the backing store. */
    abstract void clear();

    /** Reads the state from every entry of the backing store (after {@link #clear()}). */
    abstract void load(KeyValueIterator<String, byte[]> entries);

    /** Writes what changed since the last call (or the last load) to the backing store. */
    abstract void writeChanges(KeyValueStore<String, byte[]> backing);

    /** Loads the state from the backing store unless it is loaded already. */
    final void ensureLoaded() {
        if (!loaded) {
            clear();
            try (KeyValueIterator<String, byte[]> entries = backing.all()) {
                load(entries);
            }
            loaded = true;
        }
    }

    private void unload() {
        loaded = false;
        clear();
    }

    @Override
    public String name() {
        return backing.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        unload();
        backing.init(context, root);
    }

    /** Before the commit: the changes go to the backing store and its changelog, inside the transaction. */
    @Override
    public void flushCache() {
        if (loaded) {
            writeChanges(backing);
        }
    }

    @Override
    public void clearCache() {
        unload();
    }

    /** This store forwards nothing downstream when it flushes. */
    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    /** After the commit (Kafka Streams' checkpoint): the backing store's own. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        backing.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return backing.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return backing.managesOffsets();
    }

    @Override
    public void close() {
        unload();
        backing.close();
    }

    @Override
    public boolean persistent() {
        return backing.persistent();
    }

    @Override
    public boolean isOpen() {
        return backing.isOpen();
    }

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
        return backing.getPosition();
    }

    /** Interactive queries are not served: the committed state is in the backing store's changelog. */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }

    private record Builder<S extends FlushOnCommitStore>(
            StoreBuilder<KeyValueStore<String, byte[]>> backing, Function<KeyValueStore<String, byte[]>, S> store)
            implements StoreBuilder<S> {

        /** The store is its own cache: Kafka Streams' record cache would only copy the bytes once more. */
        @Override
        public StoreBuilder<S> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<S> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingEnabled(Map<String, String> config) {
            backing.withLoggingEnabled(config);
            return this;
        }

        @Override
        public StoreBuilder<S> withLoggingDisabled() {
            backing.withLoggingDisabled();
            return this;
        }

        @Override
        public S build() {
            return store.apply(backing.build());
        }

        @Override
        public Map<String, String> logConfig() {
            return backing.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return backing.loggingEnabled();
        }

        @Override
        public String name() {
            return backing.name();
        }
    }
}
