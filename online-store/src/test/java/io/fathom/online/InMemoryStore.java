package io.fathom.online;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A map-backed store for reader tests: the greatest (version, event_ts, created_ts) wins, nothing expires, and it
 * counts round trips.
 */
final class InMemoryStore implements OnlineStore {
    private static final Comparator<StoredSnapshot> ORDER = Comparator.comparingLong(StoredSnapshot::version)
            .thenComparingLong(StoredSnapshot::eventTs)
            .thenComparingLong(StoredSnapshot::createdTs);

    private final Map<String, StoredSnapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public void write(List<StoredSnapshot> batch) {
        for (StoredSnapshot snapshot : batch) {
            snapshots.merge(
                    snapshot.view() + "\0" + snapshot.entityKey(),
                    snapshot,
                    (kept, candidate) -> ORDER.compare(candidate, kept) > 0 ? candidate : kept);
        }
    }

    @Override
    public List<StoredSnapshot> read(String view, List<String> entityKeys) {
        reads.incrementAndGet();
        List<StoredSnapshot> result = new ArrayList<>();
        for (String key : entityKeys) {
            result.add(snapshots.get(view + "\0" + key));
        }
        return Collections.unmodifiableList(result);
    }

    int reads() {
        return reads.get();
    }

    @Override
    public void close() {}
}
