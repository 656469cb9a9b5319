package io.fathom.app.http;

import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.BaselinePublisher;
import io.fathom.monitor.MonitorException;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.drift.Baseline;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.FeatureDefinitions;
import io.javalin.http.Context;
import io.javalin.http.ServiceUnavailableResponse;
import java.util.Map;

/**
 * {@code POST /v1/baselines}: validates a baseline (the JSON {@code fathom baseline create} writes) and
 * publishes it to the compacted {@code fathom.baselines} topic, so every monitor instance uses it.
 * 400 for a malformed baseline (naming the field), 404 for an unknown view; 202 once the broker has it, 503 when
 * the broker did not take it.
 */
public final class BaselineEndpoint {
    private final FeatureDefinitions definitions;
    private final KafkaSettings kafka;

    public BaselineEndpoint(FeatureDefinitions definitions, KafkaSettings kafka) {
        this.definitions = definitions;
        this.kafka = kafka;
    }

    public void handle(Context ctx) {
        Baseline baseline = Baseline.fromJson(ctx.body());
        if (definitions.view(baseline.view()).isEmpty()) {
            throw new UnknownFeatureException("baseline for unknown view \"" + baseline.view() + "\"");
        }
        try (BaselinePublisher publisher =
                new BaselinePublisher(kafka, MonitorTopics.defaults().baselines())) {
            publisher.publish(baseline);
        } catch (MonitorException e) {
            // The request was good; the broker did not take it: the client may retry later.
            throw new ServiceUnavailableResponse(e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
        }
        ctx.status(202)
                .json(Map.of(
                        "view", baseline.view(), "features", baseline.features().size(), "published", true));
    }
}
