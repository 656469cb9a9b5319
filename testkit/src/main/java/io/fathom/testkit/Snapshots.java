package io.fathom.testkit;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import java.util.List;
import java.util.Map;

/** Feature snapshots for tests (and benchmarks) of what reads them. */
public final class Snapshots {
    private Snapshots() {}

    /**
     * A snapshot of {@code entityKey} in {@code view} that holds only feature values, what the monitor reads
     * of one: event and created time {@code ts}, an empty state (latest event {@code ts}, no tiles).
     */
    public static FeatureSnapshot ofValues(String view, String entityKey, long ts, Map<String, Object> values) {
        return FeatureSnapshot.newBuilder()
                .setView(view)
                .setEntityKey(entityKey)
                .setEventTs(ts)
                .setCreatedTs(ts)
                .setState(new EntityState(ts, List.of(), List.of()))
                .setValues(values)
                .build();
    }
}
