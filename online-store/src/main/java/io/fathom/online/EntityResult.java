package io.fathom.online;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer for one entity row: its key values as the request gave them, and per requested feature (in
 * the order of {@link OnlineResult#features()}) the value, the status and the snapshot's event time. The
 * three lists have one entry per feature; values and event times may hold nulls.
 */
public record EntityResult(
        Map<String, Object> entity,
        List<Object> values,
        List<FeatureStatus> statuses,
        @JsonProperty("event_timestamps") List<Long> eventTimestamps) {

    public EntityResult {
        entity = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(entity, "entity")));
        values = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(values, "values")));
        statuses = List.copyOf(statuses);
        eventTimestamps = Collections.unmodifiableList(
                new ArrayList<>(Objects.requireNonNull(eventTimestamps, "eventTimestamps")));
        if (values.size() != statuses.size() || values.size() != eventTimestamps.size()) {
            throw new IllegalArgumentException("values (" + values.size() + "), statuses (" + statuses.size()
                    + ") and event timestamps (" + eventTimestamps.size() + ") differ in length");
        }
    }

    /** The value, status and event time of the feature at {@code index}. */
    public FeatureValue feature(int index) {
        return new FeatureValue(values.get(index), statuses.get(index), eventTimestamps.get(index));
    }
}
