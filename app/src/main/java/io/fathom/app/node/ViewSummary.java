package io.fathom.app.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fathom.online.OnlineWriter;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.List;

/**
 * One element of {@code GET /v1/views}: a view's definition and, where this process runs the online
 * writer, how fresh the online store is for it.
 */
public record ViewSummary(
        String name,
        String entity,
        List<String> keys,
        String source,
        String granularity,
        String ttl,
        @JsonProperty("allowed_lateness") String allowedLateness,
        List<Feature> features,
        @JsonInclude(JsonInclude.Include.NON_NULL) Freshness freshness) {

    /** A feature as declared; {@code field} and {@code window} are null where it has none. */
    public record Feature(String name, String aggregation, String field, String window) {
        static Feature of(FeatureDefinition feature) {
            return new Feature(
                    feature.name(),
                    feature.aggregation().yamlName(),
                    feature.field().orElse(null),
                    feature.window().map(Duration::toString).orElse(null));
        }
    }

    /** The newest snapshot applied to the online store, and its event time's age when asked. */
    public record Freshness(
            @JsonProperty("last_event_ts") long lastEventTs,
            @JsonProperty("last_created_ts") long lastCreatedTs,
            @JsonProperty("applied_at") long appliedAt,
            @JsonProperty("event_lag_ms") long eventLagMs) {
        static Freshness of(OnlineWriter.Freshness freshness, long nowMillis) {
            return new Freshness(
                    freshness.lastEventTs(),
                    freshness.lastCreatedTs(),
                    freshness.appliedAt(),
                    nowMillis - freshness.lastEventTs());
        }
    }

    /** @param freshness the writer's freshness of this view, or null where there is none */
    static ViewSummary of(
            FeatureDefinitions definitions, ViewDefinition view, OnlineWriter.Freshness freshness, long nowMillis) {
        return new ViewSummary(
                view.name(),
                view.entity(),
                definitions.entityOf(view).keys(),
                view.source(),
                view.granularity().toString(),
                view.ttl().toString(),
                view.allowedLateness().toString(),
                view.features().stream().map(Feature::of).toList(),
                freshness == null ? null : Freshness.of(freshness, nowMillis));
    }
}
