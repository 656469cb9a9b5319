package io.fathom.kafka;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that keeps what a task changes in memory and writes it to a changelogged key-value store (the
 * <i>backing</i> store) only when the task commits: ingest's entity states ({@code WriteBehindStore}) and the
 * monitor's open windows and clocks ({@code FlushOnCommitStore}).
 *
 * <p>How it stays exactly-once: before each commit Kafka Streams flushes the caches of a task's stores
 * ({@code ProcessorStateManager.flushCache}, from {@code StreamTask.prepareCommit}), and the records that flush
 * writes to the changelog belong to the transaction that also commits the input offsets. This store takes part in
 * that through Kafka Streams' {@link CachedStateStore} (the interface of its own record cache, in an internal
 * package: pinned by the Kafka version of the build, and checked by the restart tests of ingest and the monitor).
 * What is held in memory is dropped on {@link #init}, {@link #close} and {@link #clearCache} (a task recycled
 * between standby and active, whose backing store was restored underneath). Everything else — name, offsets,
 * position, persistence — is the backing store's. Not thread-safe: one task's stream thread uses it.
 */
public abstract class CommitCachedStore implements StateStore, CachedStateStore<Object, Object> {
    protected final KeyValueStore<String, byte[]> backing;

    protected CommitCachedStore(KeyValueStore<String, byte[]> backing) {
        this.backing = Objects.requireNonNull(backing, "backing");
    }

    /**
     * A builder of a store over the key-value store {@code backing} builds (its name, changelog and settings). The
     * store is its own cache: Kafka Streams' record cache in front of it would only copy the bytes again, so caching
     * settings are ignored.
     */
    public static <S extends CommitCachedStore> StoreBuilder<S> builder(
            StoreBuilder<KeyValueStore<String, byte[]>> backing, Function<KeyValueStore<String, byte[]>, S> store) {
        return new Builder<>(backing, store);
    }

    /** Drops everything held in memory. */
    protected abstract void dropCache();

    /** Writes what changed since the last call to {@link #backing}: before the commit, inside its transaction. */
    protected abstract void writeChanges();

    @Override
    public String name() {
        return backing.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        dropCache();
        backing.init(context, root);
    }

    @Override
    public void flushCache() {
        writeChanges();
    }

    @Override
    public void clearCache() {
        dropCache();
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
        dropCache();
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
    public Position getPosition() {
        return backing.getPosition();
    }

    /** Interactive queries are not served: the committed state is in the backing store and its changelog. */
    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }

    private record Builder<S extends CommitCachedStore>(
            StoreBuilder<KeyValueStore<String, byte[]>> backing, Function<KeyValueStore<String, byte[]>, S> store)
            implements StoreBuilder<S> {

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
