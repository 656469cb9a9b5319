package io.fathom.offline;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entity row of a training-set request: the values of the entity key columns (for every entity
 * of the requested views; {@code Long} or {@code String}, as in {@code io.fathom.core.EntityKey}) and
 * the time at which to read the features.
 */
public record EntityRow(Map<String, Object> keys, long timestampMillis) {
    public EntityRow {
        Objects.requireNonNull(keys, "keys");
        keys = Map.copyOf(keys);
    }

    public static EntityRow of(Map<String, Object> keys, Instant timestamp) {
        return new EntityRow(keys, timestamp.toEpochMilli());
    }
}
