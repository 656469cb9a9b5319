package io.fathom.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.ExamplesAccess;
import io.fathom.ingest.IngestMetrics;
import io.fathom.monitor.MonitorMetrics;
import io.fathom.online.OnlineWriter;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/status} from the meters ingest and the monitor keep, and the writer's freshness. */
class NodeStatusTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FeatureDefinitions definitions = DefinitionsParser.parse(ExamplesAccess.definitionsFile());
    private final Map<String, OnlineWriter.Freshness> freshness = new ConcurrentHashMap<>();

    @Test
    void viewsHaveFreshnessAndRatesAndDeadLettersAreCountedByReason() throws Exception {
        IngestMetrics ingest = new IngestMetrics(registry);
        var events = ingest.events("transactions");
        var userSnapshots = ingest.snapshots("user_txn");
        NodeStatus status = new NodeStatus(definitions, registry, () -> freshness, clock);

        clock.advance(Duration.ofSeconds(20));
        events.increment(4_000);
        userSnapshots.increment(1_000);
        ingest.deadLetter("undecodable", "transactions");
        ingest.deadLetter("undecodable", "transactions");
        new MonitorMetrics(registry).onDeadLetter("undecodable", "fraud_predictions");
        new MonitorMetrics(registry).onDeadLetter("invalid_json", "fraud_predictions");
        long lastEvent = clock.millis() - 1_500;
        freshness.put("user_txn", new OnlineWriter.Freshness(lastEvent, lastEvent + 5, clock.millis()));

        JsonNode body = new ObjectMapper().valueToTree(status.status());

        JsonNode user = body.get("views").get(0);
        assertThat(user.get("name").asText()).isEqualTo("user_txn");
        assertThat(user.get("source").asText()).isEqualTo("transactions");
        assertThat(user.get("last_event_ts").asLong()).isEqualTo(lastEvent);
        assertThat(user.get("freshness_seconds").asDouble()).isCloseTo(1.5, within(1e-9));
        assertThat(user.get("events_total").asLong()).isEqualTo(4_000);
        assertThat(user.get("events_per_second").asDouble()).isCloseTo(200.0, within(1e-9));
        assertThat(user.get("snapshots_per_second").asDouble()).isCloseTo(50.0, within(1e-9));
        JsonNode merchant = body.get("views").get(1);
        assertThat(merchant.get("name").asText()).isEqualTo("merchant_txn");
        assertThat(merchant.get("freshness_seconds").isNull())
                .as("no snapshot applied yet")
                .isTrue();
        assertThat(merchant.get("events_per_second").asDouble())
                .as("the views of one source share its event rate")
                .isCloseTo(200.0, within(1e-9));
        assertThat(body.get("dead_letters").get("undecodable").asLong())
                .as("ingest's and the monitor's")
                .isEqualTo(3);
        assertThat(body.get("dead_letters").get("invalid_json").asLong()).isEqualTo(1);
        assertThat(body.get("dead_letters").get("late").asLong())
                .as("ingest registers every reason at zero")
                .isZero();
        assertThat(body.get("dead_letters_total").asLong()).isEqualTo(4);
        assertThat(body.get("at").asLong()).isEqualTo(clock.millis());
    }
}
