package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDispatcherConfigTest {
    private static final KafkaSettings KAFKA =
            KafkaSettings.builder().bootstrapServers("kafka:9092").build();
    private static final WebhookEndpoint OPS =
            WebhookEndpoint.of("ops", URI.create("https://ops.example.com/hook"), Format.JSON);

    @Test
    void defaultsAndRoundTrip() {
        AlertDispatcherConfig config = AlertDispatcherConfig.builder()
                .kafka(KAFKA)
                .endpoints(List.of(OPS))
                .build();

        assertThat(config.groupId()).isEqualTo("fathom-alert-dispatcher");
        assertThat(config.topic()).isEqualTo("fathom.alerts");
        assertThat(config.deadLetterTopic()).isEqualTo("fathom.alerts.dlq");
        assertThat(config.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void listsEveryProblemWithTheEndpoints() {
        assertThatThrownBy(() -> AlertDispatcherConfig.builder().kafka(KAFKA).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no endpoint configured");
        assertThatThrownBy(() -> AlertDispatcherConfig.builder()
                        .kafka(KAFKA)
                        .endpoints(List.of(OPS, OPS))
                        .closeTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll(
                        "endpoint name 'ops' is used twice", "closeTimeout must be positive, was PT0S");
    }
}
