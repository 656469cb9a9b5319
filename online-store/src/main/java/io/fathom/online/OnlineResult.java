package io.fathom.online;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The answer to an online read, ready to serialise with Jackson as is:
 *
 * <pre>{@code
 * {"features": ["user_txn:txn_count_1h", "user_txn:last_country"],
 *  "results": [{"entity": {"user_id": 1},
 *               "values": [3, "FR"],
 *               "statuses": ["PRESENT", "PRESENT"],
 *               "event_timestamps": [1764000000000, 1764000000000]}],
 *  "read_at": 1764000000123}
 * }</pre>
 *
 * @param features the requested features ({@code view:feature}), in request order
 * @param results one per entity row, in request order
 * @param readAt the time (epoch millis) the windows were evaluated at: the reader's clock at the read
 */
public record OnlineResult(List<String> features, List<EntityResult> results, @JsonProperty("read_at") long readAt) {
    public OnlineResult {
        features = List.copyOf(features);
        results = List.copyOf(results);
    }

    /** The value of {@code feature} ({@code view:feature}) for the entity row at {@code row}. */
    public FeatureValue value(int row, String feature) {
        int index = features.indexOf(feature);
        if (index < 0) {
            throw new IllegalArgumentException("feature " + feature + " was not requested; requested: " + features);
        }
        return results.get(row).feature(index);
    }
}
