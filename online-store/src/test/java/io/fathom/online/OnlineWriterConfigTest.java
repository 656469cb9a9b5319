package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class OnlineWriterConfigTest {
    private static final KafkaSettings KAFKA = KafkaSettings.builder()
            .bootstrapServers("kafka:9092")
            .security(KafkaSecurity.builder().protocol(SecurityProtocol.SSL).build())
            .build();

    @Test
    void consumesCommittedSnapshotsOfItsViewsInBatches() {
        OnlineWriterConfig config = OnlineWriterConfig.builder()
                .kafka(KAFKA)
                .views(List.of("user_txn", "merchant_txn"))
                .build();

        assertThat(config.groupId()).isEqualTo("fathom-online-writer");
        assertThat(config.topics()).containsExactly("fathom.snapshots.user_txn", "fathom.snapshots.merchant_txn");
        assertThat(config.consumerProperties())
                .containsEntry("group.id", "fathom-online-writer")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 2_000)
                .containsEntry("security.protocol", "SSL");
        assertThat(config.toBuilder().build()).isEqualTo(config);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        OnlineWriterConfigBuilder builder =
                OnlineWriterConfig.builder().kafka(KAFKA).views(List.of("v"));

        assertThatThrownBy(() -> OnlineWriterConfig.builder().kafka(KAFKA).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one view");
        assertThatThrownBy(() -> builder.retryBackoffMin(Duration.ofSeconds(2))
                        .retryBackoffMax(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT1S")
                .hasMessageContaining("PT2S");
        assertThatThrownBy(() -> RedisStoreConfig.builder()
                        .connection(RedisConnection.of("redis://r:6379"))
                        .ttlByView(Map.of())
                        .commandTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("commandTimeout must be positive, was PT0S");
    }
}
