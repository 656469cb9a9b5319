package io.fathom.online;

import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where online reads find the latest state of each entity: a narrow key-value SPI over timestamped
 * states ({@link StoredSnapshot}s, the one type {@link #write} takes and {@link #read} returns, like
 * Chronon's {@code KVStore.multiPut/multiGet}), written by the {@link OnlineWriter} and read by the {@link
 * OnlineFeatureReader}.
 *
 * <p>The contract, held by one shared test suite for every implementation:
 *
 * <ul>
 *   <li><b>The later state wins.</b> For each (view, entity key) the store keeps the snapshot with the
 *       greatest {@code (version, event_ts, created_ts)}. The version is ingest's order of an entity's states
 *       (see {@link StoredSnapshot#version()}), so a state that follows another is kept even when both have the
 *       same times (an earlier event that arrived after a later one, two updates in one millisecond); a
 *       replayed or out-of-order write never makes a key go back to an earlier state, and a replay of the
 *       stored snapshot changes nothing. The comparison and the write are atomic per key.
 *   <li><b>Expiry.</b> A key may disappear once its snapshot's {@code event_ts + ttl} (the view's ttl)
 *       has passed by the store's clock, and is returned until then.
 *   <li><b>Batches.</b> {@link #write} blocks until the store acknowledged every snapshot; {@link #read}
 *       answers a batch of keys in one round trip.
 *   <li><b>Failures</b> are {@link OnlineStoreException}s naming the store and the operation; a store that
 *       cannot be reached fails within a bounded time with {@link StoreUnavailableException}.
 * </ul>
 *
 * Implementations are thread-safe.
 */
public interface OnlineStore extends AutoCloseable {

    /**
     * Writes the snapshots, keeping for each (view, entity key) the greatest by {@code (version, event_ts,
     * created_ts)} of what it holds and what is written, and returns once the store acknowledged all of them. A batch may hold several snapshots of
     * one key, in any order. The state bytes are stored as they are, not decoded.
     *
     * @param snapshots what {@link #read} returns: snapshots read back can be written again, to this store
     *     or another
     * @throws OnlineStoreException if a snapshot's view is not one the store was configured with (nothing
     *     is written then), or the store failed; some snapshots of the batch may have been applied, and
     *     writing the batch again is always safe
     */
    void write(List<StoredSnapshot> snapshots);

    /**
     * Reads the latest stored snapshot of each key of one view, in one round trip.
     *
     * @param entityKeys canonical entity keys ({@code io.fathom.core.EntityKey#encoded()})
     * @return one entry per key, in the order of {@code entityKeys}; null where the store holds nothing
     *     (never written, or expired); an unmodifiable list
     * @throws OnlineStoreException if the view is unknown to the store, or the store failed
     */
    List<StoredSnapshot> read(String view, List<String> entityKeys);

    /** Closes connections and files; the store cannot be used afterwards. */
    @Override
    void close();

    /** The ttl of every view of the definitions, by view name, in declaration order. */
    static Map<String, Duration> ttlByView(FeatureDefinitions definitions) {
        Map<String, Duration> ttls = new LinkedHashMap<>();
        for (ViewDefinition view : definitions.views()) {
            ttls.put(view.name(), view.ttl());
        }
        return ttls;
    }
}
