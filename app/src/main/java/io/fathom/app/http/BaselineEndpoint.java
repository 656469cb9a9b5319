package io.fathom.app.http;

import io.fathom.monitor.BaselinePublisher;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.drift.Baseline;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.FeatureDefinitions;
import io.javalin.http.Context;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * {@code POST /v1/baselines}: validates a baseline (the JSON {@code fathom baseline create} writes) and
 * publishes it to the compacted {@code fathom.baselines} topic, so every monitor instance uses it.
 * 400 for a malformed baseline (naming the field), 404 for an unknown view; 202 once the broker has it.
 */
public final class BaselineEndpoint {
    private final FeatureDefinitions definitions;
    private final String bootstrapServers;

    public BaselineEndpoint(FeatureDefinitions definitions, String bootstrapServers) {
        this.definitions = definitions;
        this.bootstrapServers = bootstrapServers;
    }

    public void handle(Context ctx) {
        Baseline baseline = Baseline.fromJson(ctx.body());
        if (definitions.view(baseline.view()).isEmpty()) {
            throw new UnknownFeatureException("baseline for unknown view \"" + baseline.view() + "\"");
        }
        try (BaselinePublisher publisher = new BaselinePublisher(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                MonitorTopics.defaults().baselines())) {
            publisher.publish(baseline);
        }
        ctx.status(202)
                .json(Map.of(
                        "view", baseline.view(), "features", baseline.features().size(), "published", true));
    }
}
