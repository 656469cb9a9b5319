package io.fathom.offline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One output row of an in-memory point-in-time join: the entity row as given, and the feature values by
 * output column {@code <view>__<feature>}, in the order requested; null where no snapshot qualified or the
 * feature has no value.
 */
public record TrainingRow(EntityRow entityRow, Map<String, Object> features) {
    public TrainingRow {
        Objects.requireNonNull(entityRow, "entityRow");
        features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
    }
}
