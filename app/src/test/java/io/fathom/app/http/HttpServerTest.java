package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineStore;
import io.fathom.online.RedisOnlineStore;
import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.RedisServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The HTTP API over a real RocksDB online store: shapes, status codes and error messages. */
class HttpServerTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private static final long MINUTE = 60_000;

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private FeatureDefinitions definitions;
    private LocalApi api;
    private OnlineStore store;
    private HttpServer server;

    @BeforeEach
    void start() {
        api = new LocalApi(dir, clock, Map.of("/v1/views", () -> List.of(Map.of("name", "user_txn"))));
        definitions = api.definitions;
        store = api.store;
        server = api.server;
    }

    @AfterEach
    void stop() throws Exception {
        api.close();
    }

    /** User 7 paid 10 then 30 in the last hour, last in DE. */
    private void userSevenHasTwoTransactions() {
        ViewDefinition view = definitions.view("user_txn").orElseThrow();
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
        EntityState state = aggregator.newState();
        long t1 = NOW.toEpochMilli() - 30 * MINUTE;
        long t2 = NOW.toEpochMilli() - 20 * MINUTE;
        aggregator.add(state, t1, Map.of("amount", 10.0, "merchant", "grocery_1", "country", "FR"));
        aggregator.add(state, t2, Map.of("amount", 30.0, "merchant", "fuel_2", "country", "DE"));
        store.write(List.of(StoredSnapshot.of("user_txn", "7", t2, t2 + 5, state)));
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body)
            throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                        .header("content-type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlineReadReturnsValuesStatusesAndEventTimesPerEntity() throws Exception {
        userSevenHasTwoTransactions();

        HttpResponse<String> response = post(
                "/v1/features/online",
                "{\"features\": [\"user_txn:txn_count_1h\", \"user_txn:amount_sum_1h\", \"user_txn:last_country\"],"
                        + " \"entities\": {\"user_id\": [7, 8]}}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        // A small answer goes out whole, with its length, not chunked (the writer does not flush).
        assertThat(response.headers().firstValue("content-length"))
                .hasValue(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("features")).hasSize(3);
        JsonNode seven = body.get("results").get(0);
        assertThat(seven.get("entity").get("user_id").asLong()).isEqualTo(7);
        assertThat(seven.get("values").get(0).asLong()).isEqualTo(2);
        assertThat(seven.get("values").get(1).asDouble()).isEqualTo(40.0);
        assertThat(seven.get("values").get(2).asText()).isEqualTo("DE");
        assertThat(seven.get("statuses").get(0).asText()).isEqualTo("PRESENT");
        assertThat(seven.get("event_timestamps").get(0).asLong()).isEqualTo(NOW.toEpochMilli() - 20 * MINUTE);
        JsonNode eight = body.get("results").get(1);
        assertThat(eight.get("statuses").get(0).asText()).isEqualTo("NOT_FOUND");
        assertThat(eight.get("values").get(0).isNull()).isTrue();
    }

    @Test
    void aLargeAnswerIsStreamedWholeAndCompressedWhenAsked() throws Exception {
        userSevenHasTwoTransactions();
        List<String> features = definitions.view("user_txn").orElseThrow().features().stream()
                .map(f -> "user_txn:" + f.name())
                .toList();
        List<Object> users = new ArrayList<>();
        for (int user = 0; user < 500; user++) {
            users.add(user);
        }
        String request = json.writeValueAsString(Map.of("features", features, "entities", Map.of("user_id", users)));
        String expected = json.writeValueAsString(
                new OnlineFeatureReader(definitions, store, clock).read(features, Map.of("user_id", users)));

        HttpResponse<String> plain = post("/v1/features/online", request);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).hasSizeGreaterThan(50_000).isEqualTo(expected);

        HttpResponse<byte[]> gzipped = client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + "/v1/features/online"))
                        .header("content-type", "application/json")
                        .header("accept-encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofString(request))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gzipped.statusCode()).isEqualTo(200);
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        try (GZIPInputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(new String(unzipped.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
    }

    @Test
    void malformedBodiesAreRejectedWith400NamingTheProblem() throws Exception {
        HttpResponse<String> notJson = post("/v1/features/online", "{\"features\": [");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notJson.body()).get("error").asText()).contains("malformed JSON");

        HttpResponse<String> missing = post("/v1/features/online", "{\"features\": [\"user_txn:txn_count_1h\"]}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("entities");

        HttpResponse<String> wrongKey = post(
                "/v1/features/online",
                "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"customer\": [1]}}");
        assertThat(wrongKey.statusCode()).isEqualTo(400);
        assertThat(wrongKey.body()).contains("customer");

        HttpResponse<String> empty = post("/v1/features/online", "");
        assertThat(empty.statusCode()).isEqualTo(400);
    }

    @Test
    void anOnlineBodyIsReadInItsCharset() throws Exception {
        String request = "{\"features\": [\"user_txn:caf\u00e9\"], \"entities\": {\"user_id\": [1]}}";

        HttpResponse<String> utf8 =
                post("/v1/features/online", "application/json", request.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> latin1 = post(
                "/v1/features/online",
                "application/json; charset=ISO-8859-1",
                request.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(utf8.statusCode()).isEqualTo(404);
        assertThat(utf8.body()).contains("caf\u00e9");
        assertThat(latin1.statusCode()).isEqualTo(404);
        assertThat(latin1.body()).contains("caf\u00e9");
    }

    @Test
    void anOnlineBodyThatIsNotUtf8OrIsBlankIs400() throws Exception {
        String request = "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}";
        byte[] notUtf8 = request.getBytes(StandardCharsets.ISO_8859_1);
        notUtf8[request.indexOf("1h")] = (byte) 0xE9; // a lone Latin-1 byte in the feature's name

        HttpResponse<String> malformed = post("/v1/features/online", "application/json", notUtf8);
        HttpResponse<String> blank =
                post("/v1/features/online", "application/json", " \n\t\u2003 ".getBytes(StandardCharsets.UTF_8));

        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("malformed JSON body");
        assertThat(blank.statusCode()).isEqualTo(400);
        assertThat(blank.body()).contains("empty body");
    }

    @Test
    void unknownViewsAndFeaturesAre404() throws Exception {
        HttpResponse<String> view = post(
                "/v1/features/online", "{\"features\": [\"nope:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}");
        assertThat(view.statusCode()).isEqualTo(404);
        assertThat(view.body()).contains("nope");

        HttpResponse<String> feature =
                post("/v1/features/online", "{\"features\": [\"user_txn:nope\"], \"entities\": {\"user_id\": [1]}}");
        assertThat(feature.statusCode()).isEqualTo(404);
        assertThat(feature.body()).contains("nope");
    }

    @Test
    void aStoreThatGoesAwayAnswers503Quickly() throws Exception {
        Map<String, Duration> ttls = Map.of("user_txn", Duration.ofDays(7), "merchant_txn", Duration.ofDays(7));
        try (RedisServer redisServer = RedisServer.startOnFreePort();
                OnlineStore redis = RedisOnlineStore.create(redisServer.uri(), ttls);
                HttpServer overRedis = api.serve(redis)) {
            redisServer.stop(); // the real server process goes away
            long start = System.nanoTime();
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + overRedis.port() + "/v1/features/online"))
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            // bounded, not hanging: the store fails fast (500 ms command timeout, rejection while disconnected); the
            // bound is loose because CI machines are shared and this is not a latency benchmark
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        }
    }

    @Test
    void historicalReadsNameBadInputAndAStoreWithoutTheView() throws Exception {
        // rows in order with their values: DemoIT compares this endpoint with `fathom training-set` on real data
        String rows = "\"entities\": {\"user_id\": [7, 8],"
                + " \"event_timestamp\": [\"2026-11-27T11:00:00Z\", 1795777200000]}";
        HttpResponse<String> inEventTime =
                post("/v1/features/historical", "{\"features\": [\"user_txn:txn_count_1h\"], " + rows + "}");
        assertThat(inEventTime.statusCode()).as(inEventTime.body()).isEqualTo(404);
        assertThat(inEventTime.body())
                .contains("no event history of source")
                .contains("offline store")
                .contains("does not exist")
                .contains("as_known_at");

        HttpResponse<String> response = post(
                "/v1/features/historical",
                "{\"features\": [\"user_txn:txn_count_1h\"], \"as_known_at\": true, " + rows + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(404);
        assertThat(response.body()).contains("offline store").contains("does not exist");

        HttpResponse<String> badTime = post(
                "/v1/features/historical",
                "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [7],"
                        + " \"event_timestamp\": [\"yesterday\"]}}");
        assertThat(badTime.statusCode()).isEqualTo(400);
        assertThat(badTime.body()).contains("row 0").contains("yesterday");

        HttpResponse<String> noTime = post(
                "/v1/features/historical",
                "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [7]}}");
        assertThat(noTime.statusCode()).isEqualTo(400);
        assertThat(noTime.body()).contains("event_timestamp");

        HttpResponse<String> nullFeature = post(
                "/v1/features/historical",
                "{\"features\": [null], \"entities\": {\"user_id\": [7], \"event_timestamp\": [0]}}");
        assertThat(nullFeature.statusCode())
                .as("found by HttpBodyFuzzIT: was a 500")
                .isEqualTo(400);
        assertThat(nullFeature.body()).contains("null");

        HttpResponse<String> unknown = post(
                "/v1/features/historical",
                "{\"features\": [\"user_txn:nope\"], \"entities\": {\"user_id\": [7], \"event_timestamp\": [0]}}");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void healthViewsAndMetricsAreServed() throws Exception {
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        assertThat(get("/v1/views").body()).contains("user_txn");
        post("/v1/features/online", "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}");
        HttpResponse<String> metrics = get("/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("fathom_http_requests_seconds_bucket")
                .contains("route=\"/v1/features/online\"");
    }

    @Test
    void unknownPathsAre404JsonLogNothingAndShareOneRouteInTheMetrics() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        root.addAppender(logged);
        try {
            for (String path : List.of("/", "/x", "/v1/nope/deeper")) {
                HttpResponse<String> response = get(path);
                assertThat(response.statusCode()).as(path).isEqualTo(404);
                assertThat(response.headers().firstValue("content-type"))
                        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
                JsonNode body = json.readTree(response.body());
                assertThat(body.get("status").asInt()).isEqualTo(404);
                assertThat(body.get("error").asText()).isEqualTo("no such endpoint: GET " + path);
            }
            HttpResponse<String> wrongMethod = post("/v1/views", "{}");
            assertThat(wrongMethod.statusCode()).isEqualTo(404);
            assertThat(wrongMethod.body()).contains("no such endpoint: POST /v1/views");
        } finally {
            root.detachAppender(logged);
        }
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        String metrics = get("/metrics").body();
        assertThat(metrics)
                .contains("route=\"unmatched\"")
                .doesNotContain("route=\"/x\"")
                .doesNotContain("route=\"/\"");
    }
}
