package io.fathom.app.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v1/features/historical}: features as {@code view:feature}, and entity rows
 * as columns — the key columns plus {@code event_timestamp} (ISO-8601 with offset, or epoch millis).
 */
public record HistoricalRequest(
        List<String> features, Map<String, List<Object>> entities, @JsonProperty("as_known_at") Boolean asKnownAt) {}
