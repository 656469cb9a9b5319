package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSecurity.Store;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {
    private static final KafkaSettings KAFKA = KafkaSettings.builder()
            .bootstrapServers("kafka:9092")
            .security(KafkaSecurity.builder()
                    .protocol(SecurityProtocol.SSL)
                    .trustStore(Store.pem(Path.of("/etc/fathom/ca.pem")))
                    .build())
            .clientOverrides(Map.of("client.id", "fathom"))
            .build();

    @Test
    void defaultsAreOneNodes() {
        KafkaSettings settings =
                KafkaSettings.builder().bootstrapServers("localhost:9092").build();

        assertThat(settings.partitions()).isEqualTo(4);
        assertThat(settings.replicationFactor()).isEqualTo((short) 1);
        assertThat(settings.clientOverrides()).isEmpty();
        assertThat(settings.toBuilder().build()).isEqualTo(settings);
        assertThat(settings.toBuilder().partitions(1).build().partitions()).isEqualTo(1);
    }

    @Test
    void producersAreIdempotentWithOneRequestInFlight() {
        assertThat(KAFKA.producerProperties())
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true)
                .containsEntry("max.in.flight.requests.per.connection", 1)
                .containsEntry("security.protocol", "SSL");
    }

    @Test
    void consumersReadCommittedAndCommitThemselves() {
        assertThat(KAFKA.consumerProperties("g"))
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("group.id", "g")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("allow.auto.create.topics", false)
                .containsEntry("client.id", "fathom");
    }

    @Test
    void overridesCannotWeakenTheGuarantees() {
        KafkaSettings weakened = KafkaSettings.builder()
                .bootstrapServers("kafka:9092")
                .clientOverrides(Map.of(
                        "acks", "1",
                        "isolation.level", "read_uncommitted",
                        "enable.auto.commit", true,
                        "processing.guarantee", "at_least_once",
                        "auto.offset.reset", "latest"))
                .build();

        assertThat(weakened.producerProperties()).containsEntry("acks", "all");
        assertThat(weakened.consumerProperties("g"))
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "latest");
        assertThat(weakened.streamsProperties("app")).containsEntry("processing.guarantee", "exactly_once_v2");
    }

    @Test
    void streamsAndAdminClientsGetTheSameSettings() {
        KafkaSettings replicated = KAFKA.toBuilder().replicationFactor(3).build();

        assertThat(replicated.streamsProperties("fathom-ingest"))
                .containsEntry("application.id", "fathom-ingest")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("replication.factor", 3)
                .containsEntry("security.protocol", "SSL");
        assertThat(replicated.adminProperties())
                .containsOnly(
                        Map.entry("bootstrap.servers", "kafka:9092"),
                        Map.entry("security.protocol", "SSL"),
                        Map.entry("ssl.truststore.location", "/etc/fathom/ca.pem"),
                        Map.entry("ssl.truststore.type", "PEM"),
                        Map.entry("client.id", "fathom"));
    }

    @Test
    void standbyReplicasReachEveryStreamsApplicationAndMustNotBeNegative() {
        assertThat(KAFKA.streamsProperties("app")).containsEntry("num.standby.replicas", 0);
        assertThat(KAFKA.toBuilder().standbyReplicas(2).build().streamsProperties("app"))
                .containsEntry("num.standby.replicas", 2);
        assertThatThrownBy(() -> KAFKA.toBuilder().standbyReplicas(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("standbyReplicas must be >= 0, was -1");
    }

    @Test
    void streamsProducersBatchUnlessAClientOverrideSaysOtherwise() {
        assertThat(KAFKA.streamsProperties("app"))
                .containsEntry("producer.linger.ms", 5)
                .containsEntry("producer.batch.size", 262_144)
                .containsEntry("producer.compression.type", "lz4");

        assertThat(KAFKA.withClientOverride("compression.type", "zstd").streamsProperties("app"))
                .containsEntry("compression.type", "zstd")
                .doesNotContainKey("producer.compression.type")
                .containsEntry("producer.linger.ms", 5);
    }

    @Test
    void eachCallReturnsANewMutableMap() {
        Map<String, Object> first = KAFKA.producerProperties();
        first.put("linger.ms", 5);

        assertThat(KAFKA.producerProperties()).doesNotContainKey("linger.ms");
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> KafkaSettings.builder().build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaSettings.builder().bootstrapServers(" ").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> KafkaSettings.builder()
                        .bootstrapServers("k:9092")
                        .partitions(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partitions must be >= 1, was 0");
        assertThatThrownBy(() -> KafkaSettings.builder()
                        .bootstrapServers("k:9092")
                        .replicationFactor(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicationFactor must be >= 1, was 0");
        assertThatThrownBy(() -> KafkaSettings.builder()
                        .bootstrapServers("k:9092")
                        .clientOverrides(Map.of("bootstrap.servers", "other:9092"))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("other:9092");
    }
}
