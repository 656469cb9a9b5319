package io.fathom.offline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One output row of an in-memory point-in-time join.
 *
 * @param entityRow the entity row as given
 * @param features the feature values by output column {@code <view>__<feature>}, in the order requested;
 *     null where the entity had no event (no snapshot) within ttl or the feature has no value
 * @param snapshotEventTs per view, the time of the state the values were evaluated from: as known at t,
 *     the {@code event_ts} of the snapshot used; in event time, the latest event time at or before t (the
 *     {@code event_ts} a snapshot of that state carries). No entry for a view whose values are null. A
 *     consistency check compares it with the {@code event_ts} an online read returned at the same t: an
 *     older one there is freshness lag, not a mismatch.
 */
public record TrainingRow(EntityRow entityRow, Map<String, Object> features, Map<String, Long> snapshotEventTs) {
    public TrainingRow {
        Objects.requireNonNull(entityRow, "entityRow");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        snapshotEventTs = Collections.unmodifiableMap(new LinkedHashMap<>(snapshotEventTs));
    }
}
