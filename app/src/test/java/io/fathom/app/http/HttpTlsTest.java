package io.fathom.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over HTTPS, with PEM files or a PKCS#12 keystore made by openssl, and the problems of bad key material. */
class HttpTlsTest {
    private static final String TOKEN = "tls-token-0123456789abcdef";

    @TempDir
    Path dir;

    private ExampleStores stores;

    @BeforeEach
    void open() {
        stores = ExampleStores.open(dir, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        stores.close();
    }

    private HttpServer serve(TlsConfig tls) {
        return new HttpServer(
                new HttpOptions(
                        "127.0.0.1",
                        0,
                        new ApiAuth(List.of(ApiToken.of("ops", TOKEN, Set.of(Scope.ADMIN))), Optional.empty()),
                        Optional.of(tls)),
                stores.reader(),
                stores.join,
                stores.definitions,
                Map.of("/v1/views", List::of),
                () -> Readiness.of(true),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    private static HttpResponse<String> get(HttpClient client, String url, Optional<String> token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pemCertificateAndKeyServeHttpsOnly() throws Exception {
        TlsConfig.Pem pem = TestCertificates.pem(dir, "server");
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestCertificates.trusting(pem))
                .build();
        try (HttpServer server = serve(pem)) {
            String base = "https://localhost:" + server.port();

            assertThat(server.scheme()).isEqualTo("https");
            assertThat(get(client, base + "/healthz", Optional.empty()).statusCode())
                    .isEqualTo(200);
            assertThat(get(client, base + "/v1/views", Optional.empty()).statusCode())
                    .isEqualTo(401);
            assertThat(get(client, base + "/v1/views", Optional.of(TOKEN)).body())
                    .isEqualTo("[]");
            assertThat(plainHttpAnswered(server.port()))
                    .as("plain HTTP answered on the HTTPS port")
                    .isFalse();
        }
    }

    /** Whether a plain-HTTP request to the port gets a successful answer (it must not: the port speaks TLS only). */
    private static boolean plainHttpAnswered(int port) throws Exception {
        try {
            return get(HttpClient.newHttpClient(), "http://localhost:" + port + "/healthz", Optional.empty())
                            .statusCode()
                    < 400;
        } catch (IOException refused) {
            return false;
        }
    }

    @Test
    void aPkcs12KeystoreServesHttps() throws Exception {
        TlsConfig.Pem pem = TestCertificates.pem(dir, "server");
        TlsConfig.Pkcs12 keystore = TestCertificates.pkcs12(pem, dir.resolve("server.p12"), "keystore-secret");
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TestCertificates.trusting(pem))
                .build();
        try (HttpServer server = serve(keystore)) {
            assertThat(get(client, "https://localhost:" + server.port() + "/v1/views", Optional.of(TOKEN))
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    @Test
    void badKeyMaterialIsRefusedWithEveryProblemAndNoPassword() throws Exception {
        TlsConfig.Pem one = TestCertificates.pem(dir, "one");
        TlsConfig.Pem other = TestCertificates.pem(dir, "other");

        assertThatThrownBy(() -> new TlsConfig.Pem(one.certificate(), other.privateKey()).load())
                .isInstanceOf(TlsConfig.InvalidTlsException.class)
                .hasMessage(
                        "tls.key " + other.privateKey() + " is not the key of the certificate in " + one.certificate());
        Path missingCert = dir.resolve("missing.crt");
        Path missingKey = dir.resolve("missing.key");
        assertThatThrownBy(() -> new TlsConfig.Pem(missingCert, missingKey).load())
                .isInstanceOfSatisfying(TlsConfig.InvalidTlsException.class, e -> assertThat(e.problems())
                        .hasSize(2)
                        .satisfiesExactly(
                                p -> assertThat(p).startsWith("tls.cert " + missingCert + " cannot be read"),
                                p -> assertThat(p).startsWith("tls.key " + missingKey + " cannot be read")));
        Path rsaPkcs1 = dir.resolve("pkcs1.key");
        Files.writeString(rsaPkcs1, "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> new TlsConfig.Pem(one.certificate(), rsaPkcs1).load())
                .hasMessage("tls.key " + rsaPkcs1
                        + " is not PKCS#8; convert it: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        TlsConfig.Pkcs12 keystore = TestCertificates.pkcs12(one, dir.resolve("one.p12"), "right-password");
        assertThatThrownBy(() -> new TlsConfig.Pkcs12(keystore.keystore(), "wrong-password").load())
                .isInstanceOf(TlsConfig.InvalidTlsException.class)
                .hasMessageContaining("tls.keystore " + keystore.keystore() + ": wrong password")
                .hasMessageNotContaining("wrong-password");
        assertThat(new TlsConfig.Pkcs12(keystore.keystore(), "right-password").toString())
                .doesNotContain("right-password");
    }
}
