package io.fathom.online;

import io.fathom.schemas.avro.FeatureSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A map-backed store for reader tests: newer wins, nothing expires, and it counts round trips. */
final class InMemoryStore implements OnlineStore {
    private final Map<String, FeatureSnapshot> snapshots = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();

    @Override
    public void write(List<FeatureSnapshot> batch) {
        for (FeatureSnapshot snapshot : batch) {
            snapshots.merge(snapshot.getView() + "\0" + snapshot.getEntityKey(), snapshot, (kept, candidate) -> {
                int byEvent = Long.compare(candidate.getEventTs(), kept.getEventTs());
                boolean newer = byEvent > 0 || (byEvent == 0 && candidate.getCreatedTs() > kept.getCreatedTs());
                return newer ? candidate : kept;
            });
        }
    }

    @Override
    public List<StoredSnapshot> read(String view, List<String> entityKeys) {
        reads.incrementAndGet();
        List<StoredSnapshot> result = new ArrayList<>();
        for (String key : entityKeys) {
            FeatureSnapshot snapshot = snapshots.get(view + "\0" + key);
            result.add(
                    snapshot == null
                            ? null
                            : StoredSnapshot.of(snapshot.getEventTs(), snapshot.getCreatedTs(), snapshot.getState()));
        }
        return Collections.unmodifiableList(result);
    }

    int reads() {
        return reads.get();
    }

    @Override
    public void close() {}
}
