package io.fathom.embedded;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * Client properties that are safe against a fresh single-node broker, for any broker address (the
 * embedded one, or a container's). Serializers and deserializers are left to the client's constructor.
 */
public final class ClientProperties {
    private ClientProperties() {}

    /**
     * A producer: {@code acks=all}, idempotence on, and one request in flight per connection. An idempotent
     * producer writing right after topic creation can otherwise lose a batch, with the send callback as the
     * only sign (KAFKA-15591). Returns a new, mutable map.
     */
    public static Map<String, Object> producer(String bootstrapServers) {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, requireServers(bootstrapServers));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    /**
     * A consumer in the given group: {@code read_committed}, from the earliest offset, no auto-commit, no
     * topic auto-creation. Returns a new, mutable map.
     */
    public static Map<String, Object> consumer(String bootstrapServers, String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, requireServers(bootstrapServers));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    private static String requireServers(String bootstrapServers) {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank");
        }
        return bootstrapServers;
    }
}
