package io.fathom.online;

import io.fathom.online.internal.SnapshotValue;
import io.fathom.online.internal.ViewTtls;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.CompressionType;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The {@link OnlineStore} in an embedded RocksDB (the default for {@code fathom demo} and single-node use).
 *
 * <ul>
 *   <li><b>Key</b>: the view name in UTF-8, a 0x00 byte, the canonical entity key in UTF-8 (view names hold
 *       no NUL, so keys of different views never collide and a view's keys are contiguous).
 *   <li><b>Value</b>: the same layout as Redis ({@code SnapshotValue}, format 2) — format byte, order-preserving
 *       version, {@code event_ts} and {@code created_ts}, Avro {@code EntityState}; values of format 1, written
 *       before versions, still read (as version 0).
 *   <li><b>The later state wins</b>: a write batch is reduced to the greatest snapshot per key by {@code
 *       (version, event_ts, created_ts)}, the stored values of those keys are read with one {@code multiGet},
 *       and only strictly greater ones go into one atomic {@code WriteBatch}. Writes are serialised by a lock,
 *       so the read-compare-write cannot interleave.
 *   <li><b>Expiry</b>: checked at read time against the injected clock — a snapshot past {@code event_ts +
 *       ttl} reads as missing. Expired values stay on disk until overwritten or until {@link #purgeExpired()}
 *       deletes them (call it from a scheduler if disk matters; RocksJava has no user compaction filters).
 *   <li><b>Reads</b>: one {@code multiGetAsList} per batch.
 *   <li><b>Durability</b>: the write-ahead log is on but not fsynced per batch: a process crash loses nothing
 *       acknowledged, a machine crash may lose the last writes (which the writer's Kafka offsets do not
 *       cover).
 * </ul>
 */
public final class RocksDbOnlineStore implements OnlineStore {
    static {
        RocksDB.loadLibrary();
    }

    private static final byte SEPARATOR = 0;

    private final String name;
    private final ViewTtls ttls;
    private final Clock clock;
    private final Options options;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Operations hold the read lock; close takes the write lock, so RocksDB is never used after close. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private boolean closed; // guarded by lifecycle

    private RocksDbOnlineStore(
            String name, ViewTtls ttls, Clock clock, Options options, WriteOptions writeOptions, RocksDB db) {
        this.name = name;
        this.ttls = ttls;
        this.clock = clock;
        this.options = options;
        this.writeOptions = writeOptions;
        this.db = db;
    }

    /**
     * Opens (or creates) the store in {@code dir}.
     *
     * @param clock decides which snapshots have expired
     * @throws OnlineStoreException if RocksDB cannot open the directory (another process holds it, say)
     */
    public static RocksDbOnlineStore open(Path dir, Map<String, Duration> ttlByView, Clock clock) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(clock, "clock");
        ViewTtls ttls = ViewTtls.of(ttlByView);
        String name = "rocksdb " + dir.toAbsolutePath();
        Options options = new Options().setCreateIfMissing(true).setCompressionType(CompressionType.LZ4_COMPRESSION);
        WriteOptions writeOptions = new WriteOptions();
        try {
            Files.createDirectories(dir);
            return new RocksDbOnlineStore(
                    name, ttls, clock, options, writeOptions, RocksDB.open(options, dir.toString()));
        } catch (Exception e) {
            writeOptions.close();
            options.close();
            throw new OnlineStoreException(name, "open", e.toString(), e);
        }
    }

    @Override
    public void write(List<StoredSnapshot> snapshots) {
        Objects.requireNonNull(snapshots, "snapshots");
        String operation = "write of " + snapshots.size() + " snapshots";
        Map<ByteBuffer, byte[]> newest = new LinkedHashMap<>();
        for (StoredSnapshot snapshot : snapshots) {
            ttls.requireServed(name, operation, snapshot.view());
            byte[] value = SnapshotValue.encode(snapshot);
            newest.merge(
                    ByteBuffer.wrap(key(snapshot.view(), snapshot.entityKey())),
                    value,
                    (kept, candidate) -> SnapshotValue.supersedes(candidate, kept) ? candidate : kept);
        }
        if (newest.isEmpty()) {
            return;
        }
        List<byte[]> keys = newest.keySet().stream().map(ByteBuffer::array).toList();
        writeBatch(operation, batch -> {
            List<byte[]> stored = db.multiGetAsList(keys);
            int i = 0;
            for (byte[] value : newest.values()) {
                byte[] current = stored.get(i);
                if (current == null || SnapshotValue.supersedes(value, current)) {
                    batch.put(keys.get(i), value);
                }
                i++;
            }
            return null;
        });
    }

    @Override
    public List<StoredSnapshot> read(String view, List<String> entityKeys) {
        String operation = ttls.checkRead(name, view, entityKeys);
        if (entityKeys.isEmpty()) {
            return List.of();
        }
        List<byte[]> keys = new ArrayList<>(entityKeys.size());
        for (String entityKey : entityKeys) {
            keys.add(key(view, Objects.requireNonNull(entityKey, "entity key")));
        }
        List<byte[]> values;
        lifecycle.readLock().lock();
        try {
            checkOpen(operation);
            values = db.multiGetAsList(keys);
        } catch (RocksDBException e) {
            throw new OnlineStoreException(name, operation, e.toString(), e);
        } finally {
            lifecycle.readLock().unlock();
        }
        long now = clock.millis();
        List<StoredSnapshot> result = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i);
            result.add(value == null ? null : live(view, entityKeys.get(i), value, now, operation));
        }
        return Collections.unmodifiableList(result);
    }

    private StoredSnapshot live(String view, String entityKey, byte[] value, long now, String operation) {
        StoredSnapshot snapshot;
        try {
            snapshot = SnapshotValue.decode(view, entityKey, value);
        } catch (IllegalArgumentException e) {
            throw new OnlineStoreException(name, operation, "a value of view " + view + " is not readable", e);
        }
        return now > ttls.expiresAt(view, snapshot.eventTs()) ? null : snapshot;
    }

    /**
     * Deletes every value whose snapshot has expired by the clock.
     *
     * @return how many were deleted
     */
    public long purgeExpired() {
        long now = clock.millis();
        return writeBatch("purge of expired snapshots", batch -> {
            long deleted = 0;
            try (RocksIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    String view = viewOf(key);
                    if (view == null || !ttls.contains(view)) {
                        continue; // a view this store no longer serves: left alone, never read
                    }
                    if (now > ttls.expiresAt(view, SnapshotValue.eventTs(it.value()))) {
                        batch.delete(key);
                        deleted++;
                    }
                }
                it.status();
            }
            return deleted;
        });
    }

    /** What goes into one write batch; reads the store as it stands, under the write lock. */
    private interface BatchFiller<R> {
        R fill(WriteBatch batch) throws RocksDBException;
    }

    /**
     * Fills one batch and writes it atomically, holding the write lock throughout (so that a read-compare-write
     * cannot interleave with another) and the lifecycle's read lock (so that the store is not closed meanwhile).
     */
    private <R> R writeBatch(String operation, BatchFiller<R> filler) {
        lifecycle.readLock().lock();
        writeLock.lock();
        try (WriteBatch batch = new WriteBatch()) {
            checkOpen(operation);
            R result = filler.fill(batch);
            db.write(writeOptions, batch);
            return result;
        } catch (RocksDBException e) {
            throw new OnlineStoreException(name, operation, e.toString(), e);
        } finally {
            writeLock.unlock();
            lifecycle.readLock().unlock();
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            db.close();
            writeOptions.close();
            options.close();
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "RocksDbOnlineStore[" + name + "]";
    }

    private void checkOpen(String operation) {
        if (closed) {
            throw new OnlineStoreException(name, operation, "the store is closed");
        }
    }

    private static byte[] key(String view, String entityKey) {
        byte[] viewBytes = view.getBytes(StandardCharsets.UTF_8);
        byte[] entityBytes = entityKey.getBytes(StandardCharsets.UTF_8);
        byte[] key = new byte[viewBytes.length + 1 + entityBytes.length];
        System.arraycopy(viewBytes, 0, key, 0, viewBytes.length);
        key[viewBytes.length] = SEPARATOR;
        System.arraycopy(entityBytes, 0, key, viewBytes.length + 1, entityBytes.length);
        return key;
    }

    private static String viewOf(byte[] key) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] == SEPARATOR) {
                return new String(key, 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
