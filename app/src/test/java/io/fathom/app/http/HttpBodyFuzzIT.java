package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.monitor.MonitorTopics;
import io.fathom.monitor.drift.Baseline;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzed request bodies into every POST endpoint (online read, historical read, baseline upload) on a real server, a
 * real RocksDB online store and a real broker (a baseline that survives the mutations is published): each answer is a
 * success or a 4xx whose JSON body names the problem, never a 500. Bodies: random bytes, valid requests cut short,
 * with bytes flipped or inserted, and requests whose fields hold values of the wrong shape (huge numbers, deep nesting,
 * nulls, strings for lists). The seed is in every failure message.
 */
@ExtendWith(KafkaExtension.class)
class HttpBodyFuzzIT {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final int BODIES_PER_ENDPOINT = 400;
    private static final String[] ODD_VALUES = {
        "null",
        "true",
        "0",
        "-1",
        "1e400",
        "123456789012345678901234567890",
        "\"\"",
        "\"x\"",
        "[]",
        "{}",
        "[null]",
        "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]",
        "\"2026-11-27T11:00:00Z\"",
        "[\"user_txn:\"]",
        "[\":\"]",
        "[1.5]",
        "{\"user_id\": []}",
        "{\"user_id\": [{}]}",
        "{\"user_id\": null}",
        "\"\\u0000\"",
        "NaN"
    };

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final long seed = System.nanoTime();
    private final Random random = new Random(seed);
    private LocalApi api;

    @BeforeEach
    void start(KafkaBroker broker) {
        api = new LocalApi(dir, clock, Map.of());
        api.server.post(
                "/v1/baselines", new BaselineEndpoint(api.definitions, broker.kafka())::handle, Scope.BASELINES);
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    @Test
    void onlineReadsAnswerEveryBodyWithoutA500() throws Exception {
        fuzz(
                "/v1/features/online",
                "{\"features\": [\"user_txn:txn_count_1h\", \"user_txn:last_country\"], \"entities\": {\"user_id\": [7, 8]}}",
                () -> "{\"features\": " + odd() + ", \"entities\": " + odd() + "}");
    }

    @Test
    void historicalReadsAnswerEveryBodyWithoutA500() throws Exception {
        fuzz(
                "/v1/features/historical",
                "{\"features\": [\"user_txn:txn_count_1h\"], \"as_known_at\": true, \"entities\": {\"user_id\": [7, 8],"
                        + " \"event_timestamp\": [\"2026-11-27T11:00:00Z\", 1795777200000]}}",
                () -> "{\"features\": " + odd() + ", \"as_known_at\": " + odd() + ", \"entities\": {\"user_id\": "
                        + odd() + ", \"event_timestamp\": " + odd() + "}}");
    }

    @Test
    void baselineUploadsAnswerEveryBodyWithoutA500(KafkaBroker broker) throws Exception {
        broker.createTopics(1, MonitorTopics.defaults().baselines());
        Baseline baseline = Baseline.builder("user_txn", "fuzz", clock)
                .numeric("amount_sum_1h", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                .categorical("last_country", List.of("DE", "FR", "DE"))
                .build();
        fuzz(
                "/v1/baselines",
                baseline.toJson(),
                () -> "{\"version\": " + odd() + ", \"view\": " + odd() + ", \"features\": {\"f\": {\"type\": " + odd()
                        + ", \"inner_edges\": " + odd() + "}}}");
    }

    private void fuzz(String path, String valid, Supplier<String> oddShape) throws Exception {
        HttpResponse<String> accepted = post(path, valid.getBytes(StandardCharsets.UTF_8));
        assertThat(accepted.statusCode())
                .as("the valid body %s answered %s", valid, accepted.body())
                .isLessThan(500);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < BODIES_PER_ENDPOINT; i++) {
            bodies.add(
                    switch (i % 4) {
                        case 0 -> randomBytes();
                        case 1 -> mutated(valid.getBytes(StandardCharsets.UTF_8));
                        case 2 -> oddShape.get().getBytes(StandardCharsets.UTF_8);
                        default -> mutated(oddShape.get().getBytes(StandardCharsets.UTF_8));
                    });
        }
        for (byte[] body : bodies) {
            HttpResponse<String> response = post(path, body);
            String context = String.format(
                    "seed %d: POST %s %s -> %d %s",
                    seed, path, new String(body, StandardCharsets.UTF_8), response.statusCode(), response.body());
            assertThat(response.statusCode()).as(context).isNotEqualTo(500).isLessThan(600);
            if (response.statusCode() >= 400) {
                assertThat(response.statusCode()).as(context).isLessThan(500);
                JsonNode error = json.readTree(response.body()).get("error");
                assertThat(error).as(context).isNotNull();
                assertThat(error.asText()).as(context).isNotBlank();
            }
        }
    }

    private String odd() {
        return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[random.nextInt(200)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The body cut short, with bytes flipped, or with random bytes put in. */
    private byte[] mutated(byte[] body) {
        int at = random.nextInt(body.length);
        byte[] out = body.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return java.util.Arrays.copyOf(out, at);
            }
            case 1 -> {
                for (int i = 0; i < 1 + random.nextInt(4); i++) {
                    out[random.nextInt(out.length)] = (byte) (32 + random.nextInt(95));
                }
                return out;
            }
            default -> {
                byte[] noise = new byte[1 + random.nextInt(8)];
                random.nextBytes(noise);
                byte[] joined = new byte[out.length + noise.length];
                System.arraycopy(out, 0, joined, 0, at);
                System.arraycopy(noise, 0, joined, at, noise.length);
                System.arraycopy(out, at, joined, at + noise.length, out.length - at);
                return joined;
            }
        }
    }

    private HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + api.server.port() + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
