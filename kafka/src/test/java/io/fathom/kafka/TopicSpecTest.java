package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecTest {
    @Test
    void takesPartitionsAndReplicationFromTheSettings() {
        KafkaSettings kafka = KafkaSettings.builder()
                .bootstrapServers("k:9092")
                .partitions(6)
                .replicationFactor(3)
                .build();

        assertThat(TopicSpec.of("t", kafka)).isEqualTo(new TopicSpec("t", 6, (short) 3, Map.of()));
    }

    @Test
    void settingsAddUpWithoutChangingTheOriginal() {
        TopicSpec plain = TopicSpec.of("t", 2, (short) 1);
        TopicSpec both = plain.keptForever().compacted();

        assertThat(plain.configs()).isEmpty();
        assertThat(both.configs())
                .containsOnly(Map.entry("retention.ms", "-1"), Map.entry("cleanup.policy", "compact"));
        NewTopic topic = both.withConfig("retention.ms", "1000").toNewTopic();
        assertThat(topic.name()).isEqualTo("t");
        assertThat(topic.numPartitions()).isEqualTo(2);
        assertThat(topic.replicationFactor()).isEqualTo((short) 1);
        assertThat(topic.configs()).containsEntry("retention.ms", "1000").containsEntry("cleanup.policy", "compact");
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertThatThrownBy(() -> TopicSpec.of("t", 0, (short) 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t")
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> TopicSpec.of("t", 1, (short) 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replicationFactor of topic t must be >= 1, was 0");
        assertThatThrownBy(() -> TopicSpec.of("", 1, (short) 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
