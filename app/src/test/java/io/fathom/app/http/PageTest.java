package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.report.Histogram;
import io.fathom.app.report.SvgHistogram;
import io.fathom.schemas.FeatureDefinitions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in page's files and its histogram endpoint (DemoIT drives the page in a real browser). */
class PageTest {
    private static final Histogram AMOUNT =
            Histogram.numeric("amount_sum_1h", new double[] {10, 20}, new long[] {5, 3, 2}, new long[] {1, 1, 8});

    @TempDir
    Path dir;

    private final HttpClient client = HttpClient.newHttpClient();
    private ExampleStores stores;
    private HttpServer server;

    @BeforeEach
    void start() {
        stores = ExampleStores.open(dir, Clock.systemUTC());
        FeatureDefinitions definitions = stores.definitions;
        server = new HttpServer(
                "127.0.0.1",
                0,
                stores.reader(),
                stores.join,
                definitions,
                Map.of(),
                () -> true,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        new Page(
                        definitions,
                        (view, feature) -> view.equals("user_txn") && feature.equals("amount_sum_1h")
                                ? Optional.of(AMOUNT)
                                : Optional.empty())
                .addTo(server);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        stores.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String contentType(HttpResponse<String> response) {
        return response.headers().firstValue("content-type").orElse("").replace(" ", "");
    }

    @Test
    void thePageItsStylesheetAndItsScriptAreServedFromTheJarAndFetchNothingElsewhere() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(contentType(page)).isEqualTo("text/html;charset=utf-8");
        assertThat(page.body())
                .contains("<link rel=\"stylesheet\" href=\"/page/page.css\">")
                .contains("<script src=\"/page/page.js\"></script>")
                .contains("id=\"views\"", "id=\"dead-letters\"", "id=\"alerts\"", "id=\"drift\"", "id=\"bias\"");
        HttpResponse<String> css = get("/page/page.css");
        assertThat(contentType(css)).isEqualTo("text/css;charset=utf-8");
        HttpResponse<String> js = get("/page/page.js");
        assertThat(contentType(js)).isEqualTo("text/javascript;charset=utf-8");
        assertThat(js.body()).contains("/v1/status", "/v1/drift", "/v1/alerts", "/page/histogram/");
        for (HttpResponse<String> file : List.of(page, css, js)) {
            assertThat(file.body()).doesNotContain("http://", "https://", "//cdn", "@import");
        }
    }

    @Test
    void aFeaturesHistogramIsTheDriftReportsSvg() throws Exception {
        HttpResponse<String> svg = get("/page/histogram/user_txn/amount_sum_1h");

        assertThat(svg.statusCode()).isEqualTo(200);
        assertThat(contentType(svg)).isEqualTo("image/svg+xml;charset=utf-8");
        assertThat(svg.body()).isEqualTo(SvgHistogram.document(AMOUNT));
    }

    @Test
    void unknownViewsFeaturesAndFeaturesWithoutAReportAre404Json() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> expected = Map.of(
                "/page/histogram/nope/amount_sum_1h", "unknown view: nope",
                "/page/histogram/user_txn/nope", "unknown feature: user_txn:nope",
                "/page/histogram/user_txn/txn_count_1h",
                        "no drift report with a histogram for user_txn:txn_count_1h yet");
        for (var e : expected.entrySet()) {
            HttpResponse<String> response = get(e.getKey());
            assertThat(response.statusCode()).as(e.getKey()).isEqualTo(404);
            JsonNode body = json.readTree(response.body());
            assertThat(body.get("status").asInt()).isEqualTo(404);
            assertThat(body.get("error").asText()).startsWith(e.getValue());
        }
        assertThat(get("/page/nope.js").statusCode()).isEqualTo(404);
    }
}
