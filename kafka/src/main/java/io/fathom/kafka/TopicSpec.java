package io.fathom.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * A topic to create: its name, partitions, replication and topic-level settings ({@code retention.ms},
 * {@code cleanup.policy}, ...). Immutable: the {@code with...} methods return a new spec.
 *
 * @param configs topic-level settings, by Kafka's name ({@link TopicConfig})
 */
public record TopicSpec(String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank, was \"" + name + "\"");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions of topic " + name + " must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    "replicationFactor of topic " + name + " must be >= 1, was " + replicationFactor);
        }
        configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }

    /** A topic with Kafka's default settings. */
    public static TopicSpec of(String name, int partitions, short replicationFactor) {
        return new TopicSpec(name, partitions, replicationFactor, Map.of());
    }

    /** A topic with the {@link KafkaSettings#partitions()} and {@link KafkaSettings#replicationFactor()} of {@code kafka}. */
    public static TopicSpec of(String name, KafkaSettings kafka) {
        return of(name, kafka.partitions(), (short) kafka.replicationFactor()); // KafkaSettings keeps it in range
    }

    /** This spec with one more topic-level setting (replacing one of the same name). */
    public TopicSpec withConfig(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(configs);
        more.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
        return new TopicSpec(name, partitions, replicationFactor, more);
    }

    /**
     * {@code retention.ms=-1}: nothing is deleted by age. For logs the stores are rebuilt from, and for
     * records carrying old event times, which time-based retention would delete at once.
     */
    public TopicSpec keptForever() {
        return withConfig(TopicConfig.RETENTION_MS_CONFIG, "-1");
    }

    /** {@code cleanup.policy=compact}: the latest record of each key is kept forever. */
    public TopicSpec compacted() {
        return withConfig(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** The admin client's form of this spec. */
    public NewTopic toNewTopic() {
        return new NewTopic(name, partitions, replicationFactor).configs(configs);
    }
}
