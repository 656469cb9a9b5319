package io.fathom.monitor.internal;

import io.fathom.kafka.CommitCachedStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A state store whose live state is objects in memory, written to a changelogged key-value store (the
 * <i>backing</i> store) only when the task commits.
 *
 * <p>Why: the drift windows change with every snapshot, and writing each one back through a store costs a
 * serialization, a RocksDB write and a changelog record per feature per snapshot — nearly all of the monitor's
 * time (benchmarks/README.md, "Monitor throughput"). Written at commit, each changed object costs that once
 * per commit interval instead.
 *
 * <p>How it stays exactly-once: fathom-kafka's {@link CommitCachedStore} (checked here by {@code MonitorRestartIT},
 * which restarts the monitor mid-window from its changelog alone). So the changelog always holds the state as of
 * the last committed offset: a restart or a failover restores it and replays the records after it, and an aborted
 * transaction leaves nothing behind. The in-memory state, dropped when Kafka Streams asks, is read back from the
 * backing store on first use after that, when restoration is over.
 *
 * <p>Subclasses keep their state in {@link #load} and write what changed in {@link #writeChanges}; their
 * accessors call {@link #ensureLoaded()} first. Not thread-safe: one task's stream thread uses it.
 */
abstract class FlushOnCommitStore extends CommitCachedStore {
    private boolean loaded;

    FlushOnCommitStore(KeyValueStore<String, byte[]> backing) {
        super(backing);
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

    @Override
    protected void dropCache() {
        loaded = false;
        clear();
    }

    @Override
    protected void writeChanges() {
        if (loaded) {
            writeChanges(backing);
        }
    }
}
