package io.fathom.ingest.internal;

import io.fathom.kafka.CommitCachedStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * A changelogged key-value store of bytes (the <i>backing</i> store: a view task's entity states in RocksDB, its
 * watermark in memory) behind a write-behind cache of the values in a hash map, least recently used first,
 * bounded in bytes. A changed value reaches the backing store, and its changelog, when the task commits (all
 * changed values in one batch) or when the cache evicts it.
 *
 * <p>Why: this is what Kafka Streams' record cache does, but its cache keeps every store's entries in a {@code
 * TreeMap} of byte-array keys, behind a lock, with the keys serialized for every read and write: a few
 * microseconds per event, a large share of ingest's time (benchmarks/README.md, "Ingest throughput"). A view
 * task reads and writes an entity's state, and its watermark, once per event and never scans, so a hash map
 * does.
 *
 * <p>How it stays exactly-once: fathom-kafka's {@link CommitCachedStore}, checked here by {@code IngestIT}'s restart:
 * the changelog records written at commit belong to the transaction that also commits the input offsets and the
 * snapshots. An eviction writes to the backing store mid-transaction, as Kafka Streams' cache does: under exactly-once a task
 * that fails before its commit is restored from the changelog, which the aborted transaction left untouched.
 * The cache is dropped on {@link #init}, {@link #close} and {@link #clearCache}. A scan (not used by ingest)
 * writes the changes to the backing store first, and reads it.
 *
 * <p>Not thread-safe: one task's stream thread uses it.
 */
final class WriteBehindStore extends CommitCachedStore implements KeyValueStore<String, byte[]> {
    /** Bytes counted per entry besides the key's characters and the value: the map's node, the entry, headers. */
    private static final int ENTRY_OVERHEAD = 120;

    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(1024, 0.75f, true);
    private final List<Entry> changed = new ArrayList<>();
    private long bytes;

    private WriteBehindStore(KeyValueStore<String, byte[]> backing, long maxBytes) {
        super(backing);
        this.maxBytes = maxBytes;
    }

    /**
     * A builder of a store over the key-value store {@code backing} builds (its name, changelog and settings),
     * caching up to {@code maxBytes} of values (0: none; every write goes straight to the backing store).
     */
    static StoreBuilder<WriteBehindStore> builder(StoreBuilder<KeyValueStore<String, byte[]>> backing, long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must be >= 0, was " + maxBytes);
        }
        return CommitCachedStore.builder(backing, store -> new WriteBehindStore(store, maxBytes));
    }

    /** The value of {@code key}, or null if it has none. */
    @Override
    public byte[] get(String key) {
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry.value;
        }
        byte[] stored = backing.get(key);
        if (stored != null && maxBytes > 0) {
            add(new Entry(key, stored));
        }
        return stored;
    }

    /** Sets the value of {@code key} (null deletes it); the backing store has it by the next commit. */
    @Override
    public void put(String key, byte[] value) {
        if (value == null) {
            delete(key);
            return;
        }
        if (maxBytes == 0) {
            backing.put(key, value);
            return;
        }
        Entry entry = entries.get(key);
        if (entry == null) {
            entry = new Entry(key, value);
            entries.put(key, entry);
            bytes += entry.size();
        } else {
            bytes += value.length - entry.value.length;
            entry.value = value;
        }
        if (!entry.changed) {
            entry.changed = true;
            changed.add(entry);
        }
        evictOverBudget();
    }

    @Override
    public byte[] putIfAbsent(String key, byte[] value) {
        byte[] current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<String, byte[]>> entries) {
        for (KeyValue<String, byte[]> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    /** Deletes the key from the cache and, at once, from the backing store. */
    @Override
    public byte[] delete(String key) {
        byte[] current = get(key);
        Entry entry = entries.remove(key);
        if (entry != null) {
            entry.changed = false;
            bytes -= entry.size();
        }
        backing.delete(key);
        return current;
    }

    /** Scans write the changes to the backing store first, and read it. */
    @Override
    public KeyValueIterator<String, byte[]> range(String from, String to) {
        flushCache();
        return backing.range(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseRange(String from, String to) {
        flushCache();
        return backing.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<String, byte[]> all() {
        flushCache();
        return backing.all();
    }

    @Override
    public KeyValueIterator<String, byte[]> reverseAll() {
        flushCache();
        return backing.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<String, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        flushCache();
        return backing.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        flushCache();
        return backing.approximateNumEntries();
    }

    private void add(Entry entry) {
        entries.put(entry.key, entry);
        bytes += entry.size();
        evictOverBudget();
    }

    private void evictOverBudget() {
        Iterator<Entry> eldest = entries.values().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Entry entry = eldest.next();
            if (entry.changed) {
                backing.put(entry.key, entry.value);
                entry.changed = false;
            }
            eldest.remove();
            bytes -= entry.size();
        }
    }

    @Override
    protected void dropCache() {
        entries.clear();
        changed.clear();
        bytes = 0;
    }

    /** Before the commit: the changed values go to the backing store and its changelog, inside the transaction. */
    @Override
    protected void writeChanges() {
        List<KeyValue<String, byte[]>> batch = new ArrayList<>(changed.size());
        for (Entry entry : changed) {
            if (entry.changed) {
                batch.add(KeyValue.pair(entry.key, entry.value));
                entry.changed = false;
            }
        }
        changed.clear();
        if (!batch.isEmpty()) {
            backing.putAll(batch);
        }
    }

    private static final class Entry {
        final String key;
        byte[] value;
        boolean changed;

        Entry(String key, byte[] value) {
            this.key = key;
            this.value = value;
        }

        long size() {
            return ENTRY_OVERHEAD + 2L * key.length() + value.length;
        }
    }
}
