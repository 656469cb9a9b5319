package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OfflineWriterConfigTest {
    private static final KafkaSettings KAFKA =
            KafkaSettings.builder().bootstrapServers("kafka:9092").build();
    private static final OfflineStoreConfig STORE =
            OfflineStoreConfig.builder(Path.of("offline")).build();

    @Test
    void defaultsAndRoundTrip() {
        OfflineWriterConfig config =
                OfflineWriterConfig.builder().kafka(KAFKA).store(STORE).build();

        assertThat(config.groupId()).isEqualTo("fathom-offline-writer");
        assertThat(config.views()).isEmpty();
        assertThat(config.rollRows()).isEqualTo(1_000_000);
        assertThat(config.rollBytes()).isEqualTo(256L << 20);
        assertThat(config.rollInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.rowGroupBytes()).isEqualTo(32L << 20);
        assertThat(config.pollTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.toBuilder().build()).isEqualTo(config);
        assertThat(STORE.toBuilder().build()).isEqualTo(STORE);
        assertThat(STORE.root().getScheme()).isEqualTo("file");
        assertThat(STORE.effectiveFileCommit()).isEqualTo(OfflineStoreConfig.FileCommit.RENAME);
    }

    @Test
    void theConsumerReadsCommittedAndCommitsItself() {
        OfflineWriterConfig config = OfflineWriterConfig.builder()
                .kafka(KAFKA.withClientOverride("max.poll.records", 10))
                .store(STORE)
                .groupId("g")
                .build();

        assertThat(OfflineWriter.consumerProperties(config))
                .containsEntry("group.id", "g")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("max.poll.records", 10);
        assertThat(OfflineWriter.consumerProperties(
                        config.toBuilder().kafka(KAFKA).build()))
                .containsEntry("max.poll.records", 2000);
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> OfflineWriterConfig.builder()
                        .kafka(KAFKA)
                        .store(STORE)
                        .rowGroupBytes(10)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rowGroupBytes must be >= 1024, was 10");
        assertThatThrownBy(() -> OfflineStoreConfig.builder("relative/dir").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("relative/dir");
    }
}
