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

    /**
     * Copies what it is given into unmodifiable collections, except what {@link OnlineFeatureReader} built for
     * it, which no one else holds: an online read of 100 entities × 50 features would otherwise copy 15,000
     * list entries that nothing can change.
     */
    public EntityResult {
        Objects.requireNonNull(entity, "entity");
        entity = entity instanceof KeyRow ? entity : Collections.unmodifiableMap(new LinkedHashMap<>(entity));
        Objects.requireNonNull(values, "values");
        values = values instanceof FrozenList ? values : Collections.unmodifiableList(new ArrayList<>(values));
        statuses = statuses instanceof FrozenList ? statuses : List.copyOf(statuses);
        Objects.requireNonNull(eventTimestamps, "eventTimestamps");
        eventTimestamps = eventTimestamps instanceof FrozenList
                ? eventTimestamps
                : Collections.unmodifiableList(new ArrayList<>(eventTimestamps));
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
