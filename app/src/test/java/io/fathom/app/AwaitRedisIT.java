package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.config.RunConfigLoader;
import io.fathom.app.node.Component;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.online.OnlineResult;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node started before its Redis: it stays up ({@code /healthz} answers), says in {@code /readyz} that it waits for
 * Redis and why, answers online reads 503; once {@code redis-server} starts on that port, the node connects by itself,
 * becomes ready, and the events produced are written and readable.
 */
@ExtendWith(KafkaExtension.class)
class AwaitRedisIT {
    private static final String TOPIC = "await-redis-clicks";
    private static final String VIEW = "await_clicks";
    private static final int USERS = 50;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aNodeStartedBeforeRedisWaitsForItAndWritesOnceItIsUp(KafkaBroker broker) throws Exception {
        broker.createTopics(2, TOPIC);
        Files.writeString(
                dir.resolve("fathom.yaml"),
                "entities:\n  - {name: user, keys: [user_id]}\n"
                        + "sources:\n  - {name: clicks, topic: " + TOPIC + ", format: json, timestamp: event_time}\n"
                        + "views:\n  - name: " + VIEW + "\n    entity: user\n    source: clicks\n"
                        + "    granularity: 1m\n    ttl: 7d\n    features:\n"
                        + "      - {name: clicks_7d, aggregation: count, window: 7d}\n");
        try (RedisServer redis = RedisServer.onFreePort()) {
            Path config = RunConfigFile.write(
                    dir.resolve("run.yaml"),
                    "fathom.yaml",
                    broker,
                    2,
                    redis,
                    dir.resolve("data").toString());
            NodeConfig options = RunConfigLoader.load(config, Map.of()).toBuilder()
                    .components(EnumSet.of(Component.INGEST, Component.ONLINE_WRITER, Component.API))
                    .build();
            try (FathomNode node = new FathomNode(
                    options, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), a -> {})) {
                URI api = URI.create(node.httpUrl().orElseThrow());
                assertThat(get(api.resolve("/healthz")).statusCode()).isEqualTo(200);
                HttpResponse<String> notReady = get(api.resolve("/readyz"));
                assertThat(notReady.statusCode()).isEqualTo(503);
                assertThat(json.readTree(notReady.body())
                                .at("/components/online-store")
                                .asText())
                        .startsWith("waiting for Redis at redis://127.0.0.1:" + redis.port() + " (")
                        .contains("connect");
                assertThat(readOnline(api).statusCode()).isEqualTo(503);

                Map<Long, Long> expected = produce(broker);
                redis.start();

                await("the node connects to Redis and is ready")
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> get(api.resolve("/readyz")).statusCode() == 200);
                await("every user's clicks written once Redis is up")
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> counts(node), expected::equals);
                JsonNode body = json.readTree(readOnline(api).body());
                assertThat(body.at("/results/0/values/0").asLong()).isEqualTo(expected.get(0L));
            }
        }
    }

    /** Ten clicks per user per round, over the last minutes, keyed by user. */
    private Map<Long, Long> produce(KafkaBroker broker) throws Exception {
        long now = System.currentTimeMillis();
        Map<Long, Long> counts = new TreeMap<>();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < USERS * 10; i++) {
            long user = i % USERS;
            String event = "{\"user_id\": " + user + ", \"event_time\": " + (now - 60_000 + i) + "}";
            records.add(new ProducerRecord<>(
                    TOPIC,
                    Long.toString(user).getBytes(StandardCharsets.UTF_8),
                    event.getBytes(StandardCharsets.UTF_8)));
            counts.merge(user, 1L, Long::sum);
        }
        try (TestProducer<byte[], byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
        return counts;
    }

    private Map<Long, Long> counts(FathomNode node) {
        List<Object> users = new ArrayList<>();
        for (long user = 0; user < USERS; user++) {
            users.add(user);
        }
        OnlineResult result = node.reader().read(List.of(VIEW + ":clicks_7d"), Map.of("user_id", users));
        Map<Long, Long> counts = new TreeMap<>();
        for (int i = 0; i < users.size(); i++) {
            if (result.results().get(i).values().get(0) instanceof Long count) {
                counts.put((Long) users.get(i), count);
            }
        }
        return counts;
    }

    private HttpResponse<String> readOnline(URI api) throws Exception {
        String body = "{\"features\": [\"" + VIEW + ":clicks_7d\"], \"entities\": {\"user_id\": [0]}}";
        return http.send(
                HttpRequest.newBuilder(api.resolve("/v1/features/online"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
