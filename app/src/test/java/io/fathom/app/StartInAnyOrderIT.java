package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's "start in any order", the way the compose stack starts: a broker and a real redis-server, then {@code
 * fathom run} with {@code deploy/fathom/fathom.yaml}, the definitions the image holds ({@code examples/definitions}
 * copied beside it, as the Dockerfile does) and the environment {@code docker-compose.yml} sets
 * ({@code FATHOM_KAFKA_BOOTSTRAP_SERVERS}, {@code FATHOM_ONLINE_REDIS}; plus a data directory and a free port for the
 * test), every component, before any producer created a topic. Ingest must wait, saying once which topics it waits
 * for (in the log and in {@code /readyz}); once the source topic is created and events produced, every event must be
 * ingested and readable online. The monitor waits for the bias monitor's predictions and labels the same way without
 * holding readiness back, and starts once they exist.
 *
 * <p>The broker is this JVM's (the testkit's KRaft broker) and the redis-server the testkit starts, fresh ones: the
 * compose file's fixed topic names, group ids and keys must not meet another test's.
 */
class StartInAnyOrderIT {
    private static final String WAITING = "waiting for source topics [transactions] to be created";
    private static final int USERS = 60;
    private static final int EVENTS = 600;

    @TempDir
    Path work;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void fathomRunStartedBeforeItsTopicsIngestsEverythingOnceTheyAppear() throws Exception {
        Path root = ExamplesAccess.definitionsFile().getParent().getParent().getParent();
        Path config = work.resolve("fathom.yaml");
        Files.copy(root.resolve("deploy/fathom/fathom.yaml"), config);
        copyDirectory(root.resolve("examples/definitions"), work.resolve("definitions"));
        Path dataDir = work.resolve("data");
        FeatureDefinitions definitions = DefinitionsParser.parse(work.resolve("definitions/fathom.yaml"));
        SourceDefinition source = definitions.sources().get(0);
        assertThat(source.topic()).isEqualTo("transactions");

        try (KafkaBroker broker = KafkaBroker.startInJvm();
                RedisServer redis = RedisServer.startOnFreePort()) {
            Map<String, String> environment = Map.of(
                    "FATHOM_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "FATHOM_ONLINE_REDIS", redis.uri(),
                    "FATHOM_DATA_DIR", dataDir.toString(),
                    "FATHOM_HTTP_PORT", "0");
            FathomRun run = FathomRun.start(environment, "--config", config.toString());
            try {
                int port = run.awaitApiPort(Duration.ofSeconds(120));
                URI api = URI.create("http://127.0.0.1:" + port);

                // before any topic: not ready, and saying why
                JsonNode waiting = await("/readyz says ingest waits for its source topic")
                        .atMost(Duration.ofSeconds(60))
                        .until(
                                () -> readyz(api),
                                r -> WAITING.equals(
                                        r.path("components").path("ingest").asText()));
                assertThat(waiting.get("status").asText()).isEqualTo("not ready");
                assertThat(waiting.at("/components/monitor").asText())
                        .isEqualTo("waiting for source topics [fraud_labels, fraud_predictions] to be created");
                assertThat(get(api.resolve("/readyz")).statusCode()).isEqualTo(503);

                // a producer creates the topic and sends events
                broker.createTopics(4, source.topic());
                Map<Long, long[]> expected = produce(broker, source);

                await("/readyz ready once the topic exists")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> get(api.resolve("/readyz")).statusCode() == 200);
                await("every user's events readable online")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> mismatches(api, expected), List::isEmpty);
                JsonNode status = json.readTree(get(api.resolve("/v1/status")).body());
                assertThat(status.at("/views/0/events_total").asLong()).isEqualTo(EVENTS);
                assertThat(status.get("dead_letters_total").asLong()).isZero();

                // the monitor waited without holding readiness back; it starts once its inputs exist
                broker.createTopics(4, "fraud_predictions", "fraud_labels");
                await("the monitor runs once its inputs exist")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> readyz(api).at("/components/monitor").asText(), "running"::equals);

                String log = Files.readString(dataDir.resolve("fathom.log"));
                assertThat(count(log, "ingest: " + WAITING.replace("[", "\\[")))
                        .as("the wait is logged once")
                        .isOne();
                assertThat(log).doesNotContain("MissingSourceTopicException", "SHUTDOWN_CLIENT");
            } finally {
                assertThat(run.stop())
                        .as("exit code; console:\n%s", run.console())
                        .isZero();
            }
        }
    }

    /** {@value #EVENTS} transactions of {@value #USERS} users over the last 20 minutes, in event-time order. */
    private static Map<Long, long[]> produce(KafkaBroker broker, SourceDefinition source) {
        Random random = new Random(12);
        long now = Instant.now().toEpochMilli();
        BinaryMessageEncoder<GenericRecord> encoder =
                new BinaryMessageEncoder<>(GenericData.get(), source.schema().orElseThrow());
        Map<Long, long[]> countAndCents = new TreeMap<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long user = 1 + random.nextInt(USERS);
            long cents = 100 + random.nextInt(10_000);
            long ts = now - Duration.ofMinutes(20).toMillis() + i * 1_000L;
            GenericRecord event = new GenericData.Record(source.schema().orElseThrow());
            event.put("user_id", user);
            event.put("merchant_id", (long) random.nextInt(20));
            event.put("merchant", "m" + random.nextInt(20));
            event.put("amount", cents / 100.0);
            event.put("country", "FR");
            event.put("event_time", ts);
            try {
                records.add(new ProducerRecord<>(
                        source.topic(),
                        null,
                        ts,
                        Long.toString(user),
                        encoder.encode(event).array()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            long[] sums = countAndCents.computeIfAbsent(user, u -> new long[2]);
            sums[0]++;
            sums[1] += cents;
        }
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
        return countAndCents;
    }

    /** The users whose online count or sum over the last hour differs from what was produced. */
    private List<String> mismatches(URI api, Map<Long, long[]> expected) throws Exception {
        String body = "{\"features\": [\"user_txn:txn_count_1h\", \"user_txn:amount_sum_1h\"], \"entities\": "
                + "{\"user_id\": " + expected.keySet() + "}}";
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(api.resolve("/v1/features/online"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> wrong = new ArrayList<>();
        for (JsonNode result : json.readTree(response.body()).get("results")) {
            long user = result.at("/entity/user_id").asLong();
            long[] sums = expected.get(user);
            JsonNode values = result.get("values");
            if (values.get(0).asLong(-1) != sums[0] || Math.round(values.get(1).asDouble(-1) * 100) != sums[1]) {
                wrong.add(user + ": " + values + " expected " + sums[0] + ", " + sums[1] / 100.0);
            }
        }
        return wrong;
    }

    private JsonNode readyz(URI api) throws Exception {
        return json.readTree(get(api.resolve("/readyz")).body());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long count(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }

    private static void copyDirectory(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
