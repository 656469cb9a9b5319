package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.app.http.TestCertificates;
import io.fathom.app.http.TlsConfig;
import io.fathom.monitor.drift.Baseline;
import io.fathom.testkit.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom run} with bearer tokens (from environment variables the configuration names) and TLS (PEM files made
 * by openssl): every endpoint of the real node over HTTPS answers 401 without a valid token, 403 outside the token's
 * scope and its own answer within it; health and readiness stay open. Afterwards neither token appears anywhere in
 * the log file or the console.
 */
class ApiSecurityIT {

    @TempDir
    Path work;

    /** An endpoint, and what it answers without a token, with the reader's token and with the admin's. */
    record Expectation(String method, String path, String body, int none, int reader, int admin) {}

    @Test
    void tokensAndTlsGuardEveryEndpointAndNeverReachTheLog() throws Exception {
        String readerToken = "reader-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        String adminToken = "admin-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        TlsConfig.Pem pem = TestCertificates.pem(work, "server");
        Path config = work.resolve("fathom.yaml");
        String baseline = Baseline.builder("user_txn", "transactions", Clock.systemUTC())
                .numeric("amount_avg_1d", new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                .build()
                .toJson();

        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            Files.writeString(
                    config,
                    """
                    definitions: %s
                    kafka: {bootstrap_servers: "%s"}
                    data_dir: data
                    http:
                      host: 127.0.0.1
                      port: 0
                      auth:
                        tokens:
                          - {name: reader, token_env: FATHOM_IT_READER_TOKEN, scopes: [features]}
                          - {name: ops, token_env: FATHOM_IT_OPS_TOKEN, scopes: [admin]}
                        metrics: admin
                      tls: {cert: server.crt, key: server.key}
                    """
                            .formatted(ExamplesAccess.definitionsFile(), broker.bootstrapServers()));
            Map<String, String> environment =
                    Map.of("FATHOM_IT_READER_TOKEN", readerToken, "FATHOM_IT_OPS_TOKEN", adminToken);
            FathomRun run = FathomRun.start(environment, "--config", config.toString(), "--components", "api,monitor");
            List<String> failures = new ArrayList<>();
            try {
                int port = run.awaitApiPort(Duration.ofSeconds(120));
                URI api = URI.create("https://localhost:" + port);
                HttpClient client = HttpClient.newBuilder()
                        .sslContext(TestCertificates.trusting(pem))
                        .build();
                String online = "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}";
                List<Expectation> expectations = List.of(
                        new Expectation("GET", "/healthz", null, 200, 200, 200),
                        new Expectation("GET", "/readyz", null, 200, 200, 200),
                        new Expectation("GET", "/v1/views", null, 401, 200, 200),
                        new Expectation("GET", "/v1/status", null, 401, 200, 200),
                        new Expectation("GET", "/v1/drift", null, 401, 200, 200),
                        new Expectation("GET", "/v1/alerts", null, 401, 200, 200),
                        new Expectation("POST", "/v1/features/online", online, 401, 200, 200),
                        new Expectation("POST", "/v1/features/historical", "", 401, 403, 400),
                        new Expectation("POST", "/v1/baselines", baseline, 401, 403, 202),
                        new Expectation("GET", "/metrics", null, 401, 403, 200));
                for (Expectation e : expectations) {
                    check(client, api, e, Optional.empty(), e.none(), failures);
                    check(client, api, e, Optional.of("Bearer " + readerToken), e.reader(), failures);
                    check(client, api, e, Optional.of("Bearer " + adminToken), e.admin(), failures);
                    if (e.none() == 401) {
                        check(client, api, e, Optional.of("Bearer " + adminToken.substring(1)), 401, failures);
                    }
                }
            } finally {
                assertThat(run.stop())
                        .as("exit code; console:\n%s", run.console())
                        .isZero();
            }
            assertThat(failures).isEmpty();
            String log = Files.readString(work.resolve("data/fathom.log"));
            assertThat(log).as("the log file").contains("Javalin").doesNotContain(readerToken, adminToken);
            assertThat(log).doesNotContain(readerToken.substring(7), adminToken.substring(6));
            assertThat(run.console()).as("the console").doesNotContain(readerToken, adminToken);
        }
    }

    private static void check(
            HttpClient client,
            URI api,
            Expectation e,
            Optional<String> authorization,
            int status,
            List<String> failures)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.resolve(e.path()));
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (e.method().equals("POST")) {
            request.header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(e.body()));
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String who = authorization
                .map(a -> a.length() > 14 ? a.substring(0, 14) + "…" : a)
                .orElse("no token");
        if (response.statusCode() != status) {
            failures.add(e.method() + " " + e.path() + " with " + who + ": " + response.statusCode() + ", expected "
                    + status + " (" + response.body() + ")");
        }
        if (status == 401
                && !response.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            failures.add(e.method() + " " + e.path() + " with " + who + ": 401 without WWW-Authenticate: Bearer");
        }
    }
}
