package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.FeatureDefinitions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bearer tokens over real HTTP: every {@code /v1} route (and the page's data) answers 401 without a valid token, 403
 * with a token outside its scope, and its own answer with the scope or admin; {@code /healthz}, {@code /readyz} and
 * the page's files stay open; {@code /metrics} needs the scope configured for it.
 */
class HttpAuthTest {
    private static final String FEATURES = "features-0123456789abcdef";
    private static final String HISTORICAL = "historical-0123456789abcdef";
    private static final String BASELINES = "baselines-0123456789abcdef";
    private static final String ADMIN = "admin-0123456789abcdef";
    private static final Map<Scope, String> TOKEN_OF = Map.of(
            Scope.FEATURES, FEATURES, Scope.HISTORICAL, HISTORICAL, Scope.BASELINES, BASELINES, Scope.ADMIN, ADMIN);

    /** A route, the scope it needs, and what it answers an authorized request (its own answer, from its handler). */
    record Route(String method, String path, String body, Scope scope, int answer) {}

    private static final List<Route> ROUTES = List.of(
            new Route(
                    "POST",
                    "/v1/features/online",
                    "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}",
                    Scope.FEATURES,
                    200),
            new Route("POST", "/v1/features/historical", "", Scope.HISTORICAL, 400),
            new Route("POST", "/v1/baselines", "{}", Scope.BASELINES, 400),
            new Route("GET", "/v1/views", null, Scope.FEATURES, 200),
            new Route("GET", "/v1/status", null, Scope.FEATURES, 200),
            new Route("GET", "/v1/drift", null, Scope.FEATURES, 200),
            new Route("GET", "/v1/alerts", null, Scope.FEATURES, 200),
            new Route("GET", "/page/histogram/user_txn/amount_sum_1h", null, Scope.FEATURES, 404),
            new Route("GET", "/metrics", null, Scope.ADMIN, 200));

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ExampleStores stores;
    private HttpServer server;

    @BeforeEach
    void start() {
        stores = ExampleStores.open(dir, Clock.systemUTC());
        FeatureDefinitions definitions = stores.definitions;
        ApiAuth auth = new ApiAuth(
                List.of(
                        ApiToken.of("reader", FEATURES, Set.of(Scope.FEATURES)),
                        ApiToken.of("analyst", HISTORICAL, Set.of(Scope.HISTORICAL)),
                        ApiToken.of("trainer", BASELINES, Set.of(Scope.BASELINES)),
                        ApiToken.of("ops", ADMIN, Set.of(Scope.ADMIN))),
                Optional.of(Scope.ADMIN));
        Map<String, java.util.function.Supplier<Object>> reads = Map.of(
                "/v1/views", List::of,
                "/v1/status", Map::of,
                "/v1/drift", Map::of,
                "/v1/alerts", Map::of);
        server = new HttpServer(
                new HttpOptions("127.0.0.1", 0, auth, Optional.empty()),
                stores.reader(),
                stores.join,
                definitions,
                reads,
                () -> new Readiness(false, Map.of("ingest", "waiting for source topics [transactions] to be created")),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        new Page(definitions, (view, feature) -> Optional.empty()).addTo(server);
        BaselineEndpoint baselines = new BaselineEndpoint(
                definitions,
                KafkaSettings.builder().bootstrapServers("127.0.0.1:1").build());
        server.post("/v1/baselines", baselines::handle, Scope.BASELINES);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        stores.close();
    }

    private HttpResponse<String> send(Route route, Optional<String> authorization) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + route.path()));
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (route.method().equals("POST")) {
            request.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(route.body()));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutATokenEveryProtectedRouteAnswers401WithAChallenge() throws Exception {
        for (Route route : ROUTES) {
            HttpResponse<String> response = send(route, Optional.empty());

            assertThat(response.statusCode()).as(route.path()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate"))
                    .as(route.path())
                    .hasValue("Bearer realm=\"fathom\"");
            assertThat(json.readTree(response.body()).get("error").asText())
                    .isEqualTo("this endpoint needs a bearer token (Authorization: Bearer <token>)");
        }
    }

    @Test
    void anUnknownTokenOrAnotherSchemeAnswers401InvalidToken() throws Exception {
        for (Route route : ROUTES) {
            for (String authorization : List.of(
                    "Bearer not-one-of-the-server-tokens", "Bearer " + ADMIN + "x", "Basic " + ADMIN, "Bearer")) {
                HttpResponse<String> response = send(route, Optional.of(authorization));

                assertThat(response.statusCode())
                        .as(route.path() + " with " + authorization)
                        .isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate"))
                        .hasValue("Bearer realm=\"fathom\", error=\"invalid_token\"");
            }
        }
    }

    @Test
    void aTokenOutsideTheRoutesScopeAnswers403AndOneWithItReachesTheRoute() throws Exception {
        for (Route route : ROUTES) {
            for (Scope scope : EnumSet.allOf(Scope.class)) {
                HttpResponse<String> response = send(route, Optional.of("Bearer " + TOKEN_OF.get(scope)));

                if (scope == route.scope() || scope == Scope.ADMIN) {
                    assertThat(response.statusCode())
                            .as(route.path() + " with a " + scope + " token")
                            .isEqualTo(route.answer());
                } else {
                    assertThat(response.statusCode())
                            .as(route.path() + " with a " + scope + " token")
                            .isEqualTo(403);
                    assertThat(response.headers().firstValue("WWW-Authenticate"))
                            .hasValue("Bearer realm=\"fathom\", error=\"insufficient_scope\", scope=\""
                                    + route.scope().code() + "\"");
                    assertThat(response.body())
                            .contains("lacks the scope " + route.scope().code())
                            .doesNotContain(TOKEN_OF.get(scope));
                }
            }
        }
    }

    @Test
    void theSchemeIsCaseInsensitive() throws Exception {
        Route views = ROUTES.get(3);

        assertThat(send(views, Optional.of("bearer " + FEATURES)).statusCode()).isEqualTo(200);
        assertThat(send(views, Optional.of("BEARER " + FEATURES)).statusCode()).isEqualTo(200);
    }

    @Test
    void healthReadinessAndThePagesFilesStayOpen() throws Exception {
        for (String path : List.of("/healthz", "/readyz", "/", "/page/page.js", "/page/page.css")) {
            HttpResponse<String> response = send(new Route("GET", path, null, null, 0), Optional.empty());

            assertThat(response.statusCode()).as(path).isIn(200, 503);
        }
        HttpResponse<String> ready = send(new Route("GET", "/readyz", null, null, 0), Optional.empty());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(json.readTree(ready.body()))
                .isEqualTo(json.readTree("{\"status\": \"not ready\", \"components\": "
                        + "{\"ingest\": \"waiting for source topics [transactions] to be created\"}}"));
    }

    @Test
    void anApiRouteCannotBeAddedWithoutAScope() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.get("/v1/anything", ctx -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API route /v1/anything needs a scope");
    }
}
