package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IngestConfigTest {
    private static final KafkaSettings KAFKA = KafkaSettings.builder()
            .bootstrapServers("kafka:9092")
            .replicationFactor(3)
            .build();

    @Test
    void defaultsAreOneNodesAndRoundTripThroughTheBuilder() {
        IngestConfig config =
                IngestConfig.builder().kafka(KAFKA).stateDir(Path.of("state")).build();

        assertThat(config.applicationId()).isEqualTo("fathom-ingest");
        assertThat(config.threads()).isEqualTo(1);
        assertThat(config.commitInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(config.cacheMaxBytes()).isEqualTo(64L << 20);
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void streamsRunExactlyOnceWithTheSettingsReplication() {
        IngestConfig config = IngestConfig.builder()
                .kafka(KAFKA)
                .stateDir(Path.of("state"))
                .applicationId("ingest-a")
                .commitInterval(Duration.ofMillis(250))
                .build();

        assertThat(config.streamsProperties())
                .containsEntry("application.id", "ingest-a")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("replication.factor", 3)
                .containsEntry("commit.interval.ms", 250L)
                .containsEntry("max.task.idle.ms", -1L)
                .containsEntry("state.dir", Path.of("state").toAbsolutePath().toString());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> IngestConfig.builder().stateDir(Path.of("s")).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("kafka");
        assertThatThrownBy(() -> IngestConfig.builder()
                        .kafka(KAFKA)
                        .stateDir(Path.of("s"))
                        .threads(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be >= 1, was 0");
        assertThatThrownBy(() -> IngestConfig.builder()
                        .kafka(KAFKA)
                        .stateDir(Path.of("s"))
                        .idleTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("idleTimeout must be positive, was PT0S");
    }
}
