package io.fathom.kafka;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * How every Fathom component reaches Kafka, and the one place its clients' properties come from: each
 * producer, consumer, admin client and Kafka Streams application of every component is configured by
 * one of {@link #producerProperties()}, {@link #consumerProperties(String)}, {@link #adminProperties()}
 * and {@link #streamsProperties(String)}. Start from {@link #builder()}; its fields hold the defaults.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}: {@code host:port[,host:port...]}
 * @param partitions partitions of the topics the components create (snapshots, dead letters, reports);
 *     an existing topic keeps its own
 * @param replicationFactor replication of the topics the components create, and of Kafka Streams'
 *     changelog and repartition topics
 * @param clientOverrides further properties given to every client (security, client id, timeouts);
 *     they cannot change what the components' guarantees rest on (acks, idempotence, isolation level,
 *     auto-commit, processing guarantee, group and application ids), which are set after them
 */
public record KafkaSettings(
        String bootstrapServers, int partitions, short replicationFactor, Map<String, Object> clientOverrides) {

    public KafkaSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers must not be blank, was \"" + bootstrapServers + "\"");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
        }
        clientOverrides = Map.copyOf(Objects.requireNonNull(clientOverrides, "clientOverrides"));
        if (clientOverrides.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("clientOverrides sets bootstrap.servers to "
                    + clientOverrides.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    + "; set bootstrapServers instead");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .bootstrapServers(bootstrapServers)
                .partitions(partitions)
                .replicationFactor(replicationFactor)
                .clientOverrides(clientOverrides);
    }

    /**
     * A producer's properties: {@code acks=all}, idempotence on, and one request in flight per connection
     * (an idempotent producer writing right after topic creation can otherwise lose a batch, with the send
     * callback as the only sign: KAFKA-15591). Serializers are left to the producer's constructor. A new,
     * mutable map.
     */
    public Map<String, Object> producerProperties() {
        Map<String, Object> props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    /**
     * A consumer's properties in the given group: {@code read_committed} (only records of committed
     * transactions), no auto-commit (the components commit after their work is done), from the earliest
     * offset for a new group (unless overridden), and no topic auto-creation (topics are created by {@link
     * Topics}, with their partitions and settings). Deserializers are left to the consumer's constructor. A
     * new, mutable map.
     */
    public Map<String, Object> consumerProperties(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        Map<String, Object> props = common();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    /** An admin client's properties. A new, mutable map. */
    public Map<String, Object> adminProperties() {
        return common();
    }

    /**
     * A Kafka Streams application's properties: its id, exactly-once v2, and {@link #replicationFactor()}
     * for its internal topics; the application adds its state directory, threads and commit interval. New
     * and mutable.
     */
    public Properties streamsProperties(String applicationId) {
        Objects.requireNonNull(applicationId, "applicationId");
        Properties props = new Properties();
        props.putAll(common());
        // StreamsConfig's names: kafka-streams is not a dependency of this module
        props.put("application.id", applicationId);
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("replication.factor", (int) replicationFactor);
        return props;
    }

    private Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>(clientOverrides);
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /** {@link KafkaSettings}' fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private String bootstrapServers;
        /** Default 4: one node's worth of parallelism that leaves room to grow. */
        private int partitions = 4;
        /** Default 1: a single broker. */
        private short replicationFactor = 1;
        /** Default none. */
        private final Map<String, Object> clientOverrides = new LinkedHashMap<>();

        private Builder() {}

        public Builder bootstrapServers(String servers) {
            this.bootstrapServers = servers;
            return this;
        }

        public Builder partitions(int count) {
            this.partitions = count;
            return this;
        }

        public Builder replicationFactor(int factor) {
            if (factor > Short.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "replicationFactor must be <= " + Short.MAX_VALUE + ", was " + factor);
            }
            this.replicationFactor = (short) factor;
            return this;
        }

        /** One more property for every client (e.g. {@code security.protocol}); a later value replaces an earlier one. */
        public Builder clientOverride(String key, Object value) {
            clientOverrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
            return this;
        }

        /** {@link #clientOverride} for each entry. */
        public Builder clientOverrides(Map<String, ?> overrides) {
            overrides.forEach(this::clientOverride);
            return this;
        }

        public KafkaSettings build() {
            return new KafkaSettings(bootstrapServers, partitions, replicationFactor, clientOverrides);
        }
    }
}
