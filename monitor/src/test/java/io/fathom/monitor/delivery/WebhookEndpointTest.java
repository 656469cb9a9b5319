package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookEndpointTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    @Test
    void hasTheDocumentedDefaults() {
        WebhookEndpoint endpoint = WebhookEndpoint.of("ops", URI.create("https://hooks.example.com/a"), Format.JSON);

        assertThat(endpoint.secret()).isEmpty();
        assertThat(endpoint.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(endpoint.maxAttempts()).isEqualTo(6);
        assertThat(endpoint.initialBackoff()).isEqualTo(Duration.ofSeconds(1));
        assertThat(endpoint.maxBackoff()).isEqualTo(Duration.ofSeconds(60));
        assertThat(endpoint.allowPrivate()).isFalse();
    }

    @Test
    void toStringMasksTheSecretAndTheUrlsPathAndQuery() {
        WebhookEndpoint endpoint = WebhookEndpoint.builder(
                        "ops", URI.create("https://hooks.example.com/services/T0KEN?key=s3cret"), Format.GRAFANA)
                .secret(SECRET)
                .build();

        assertThat(endpoint.toString())
                .contains("ops", "hooks.example.com", "*****")
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "T0KEN", "s3cret");
    }

    @Test
    void validationListsEveryProblem() {
        assertThatThrownBy(() -> new WebhookEndpoint(
                        " ",
                        URI.create("ftp://user:pw@files.example.com/x"),
                        null,
                        Optional.of("whsec_***"),
                        Duration.ZERO,
                        0,
                        Duration.ofSeconds(-1),
                        Duration.ofSeconds(-2),
                        false))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContainingAll(
                        "name must be non-blank",
                        "url must be http or https, was scheme 'ftp'",
                        "must not carry user info",
                        "format is missing",
                        "secret after 'whsec_' must be base64",
                        "timeout must be positive, was PT0S",
                        "maxAttempts must be at least 1, was 0",
                        "initialBackoff must be zero or positive, was PT-1S",
                        "maxBackoff must be zero or positive, was PT-2S")
                .message()
                .doesNotContain("pw@");
    }

    @Test
    void refusesASecretWithoutItsPrefixOrTooShortWithoutQuotingIt() {
        assertThatThrownBy(() -> WebhookEndpoint.builder("a", URI.create("https://x.example"), Format.JSON)
                        .secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                        .build())
                .hasMessageContaining("secret must start with 'whsec_'")
                .message()
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertThatThrownBy(() -> WebhookEndpoint.builder("a", URI.create("https://x.example"), Format.JSON)
                        .secret("whsec_c2hvcnQ=")
                        .maxBackoff(Duration.ofMillis(1))
                        .build())
                .hasMessageContainingAll("at least 16 bytes", "maxBackoff (PT0.001S) must not be below initialBackoff");
    }
}
