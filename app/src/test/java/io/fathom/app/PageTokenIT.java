package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.app.http.ApiAuth;
import io.fathom.app.http.ExampleStores;
import io.fathom.app.http.HttpOptions;
import io.fathom.app.http.HttpServer;
import io.fathom.app.http.Page;
import io.fathom.app.http.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in page of a server with a token ({@code fathom demo --token}), in headless chromium: opened as
 * {@code /#token=T} it sends the token and draws the API's answers; opened without, it says the API answered 401 and
 * shows the form that asks for the token.
 */
class PageTokenIT {
    private static final String TOKEN = "page-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void thePageTakesItsTokenFromTheAddressFragment() throws Exception {
        try (ExampleStores stores = ExampleStores.open(dir, Clock.systemUTC());
                HttpServer server = new HttpServer(
                        new HttpOptions("127.0.0.1", 0, ApiAuth.admin(TOKEN), Optional.empty()),
                        stores.reader(),
                        stores.join,
                        stores.definitions,
                        Map.of(
                                "/v1/status",
                                () -> Map.of(
                                        "views",
                                        List.of(Map.of("name", "user_txn", "source", "transactions")),
                                        "dead_letters",
                                        Map.of(),
                                        "dead_letters_total",
                                        0),
                                "/v1/drift",
                                () -> Map.of("drift", List.of(), "bias", List.of()),
                                "/v1/alerts",
                                () -> Map.of("alerts", List.of())),
                        () -> Readiness.of(true),
                        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
            new Page(stores.definitions, (view, feature) -> Optional.empty()).addTo(server);
            HeadlessChromium chromium = new HeadlessChromium(dir.resolve("browser"), Duration.ofSeconds(90));
            String base = "http://127.0.0.1:" + server.port() + "/";

            String withToken = chromium.dumpDom(URI.create(base + "#token=" + TOKEN), Duration.ofSeconds(3));
            String without = chromium.dumpDom(URI.create(base), Duration.ofSeconds(3));

            assertThat(withToken)
                    .contains("<tr data-view=\"user_txn\">")
                    .containsPattern("<span id=\"updated\" class=\"meta\">updated ")
                    .contains("<form id=\"token-form\" hidden=\"\">");
            assertThat(without)
                    .containsPattern("cannot refresh: /v1/(status|drift|alerts) answered 401")
                    .doesNotContain("<tr data-view=")
                    .containsPattern("<form id=\"token-form\">");
        }
    }
}
