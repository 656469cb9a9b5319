package io.fathom.kafka;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * How every Fathom component reaches Kafka, and the one place its clients' properties come from: each
 * producer, consumer, admin client and Kafka Streams application of every component is configured by
 * one of {@link #producerProperties()}, {@link #consumerProperties(String)}, {@link #adminProperties()}
 * and {@link #streamsProperties(String)}. Start from {@link #builder()}, preset with the defaults below.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}: {@code host:port[,host:port...]}; required
 * @param partitions partitions of the topics the components create (snapshots, dead letters, reports);
 *     an existing topic keeps its own. Default 4: one node's worth of parallelism that leaves room to grow
 * @param replicationFactor replication of the topics the components create, and of Kafka Streams'
 *     changelog and repartition topics, in [1, {@value Short#MAX_VALUE}]. Default 1: a single broker
 * @param standbyReplicas Kafka Streams' {@code num.standby.replicas} for every Streams application (ingest, the
 *     monitor): how many other instances keep a warm copy of each task's state, so that one taking over a killed
 *     instance's tasks restores from its copy instead of replaying the whole changelog; >= 0. Default 0 (the
 *     Kafka Streams default); 1 or more only pays with two or more instances of a component
 * @param security how every client authenticates and encrypts (SASL, TLS): the only source of {@code
 *     security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} and the {@code ssl.*} store
 *     properties. Default {@link KafkaSecurity#plaintext()}
 * @param clientOverrides further properties given to every client (client id, timeouts, TLS protocols);
 *     they cannot change what the components' guarantees rest on (acks, idempotence, isolation level,
 *     auto-commit, processing guarantee, group and application ids), which are set after them, nor set what
 *     {@code security} sets. Default none; {@link #withClientOverride} adds one
 */
@RecordBuilder
public record KafkaSettings(
        String bootstrapServers,
        int partitions,
        int replicationFactor,
        int standbyReplicas,
        KafkaSecurity security,
        Map<String, Object> clientOverrides) {

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
        if (replicationFactor > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "replicationFactor must be <= " + Short.MAX_VALUE + ", was " + replicationFactor);
        }
        if (standbyReplicas < 0) {
            throw new IllegalArgumentException("standbyReplicas must be >= 0, was " + standbyReplicas);
        }
        clientOverrides = Map.copyOf(Objects.requireNonNull(clientOverrides, "clientOverrides"));
        if (clientOverrides.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("clientOverrides sets bootstrap.servers to "
                    + clientOverrides.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    + "; set bootstrapServers instead");
        }
        Objects.requireNonNull(security, "security");
        for (String key : clientOverrides.keySet()) {
            if (KafkaSecurity.MANAGED.contains(key)) {
                throw new IllegalArgumentException("clientOverrides sets " + key + "; set security instead");
            }
        }
    }

    /** A builder preset with the defaults; {@code bootstrapServers} is required. */
    public static KafkaSettingsBuilder builder() {
        return KafkaSettingsBuilder.builder()
                .partitions(4)
                .replicationFactor(1)
                .standbyReplicas(0)
                .security(KafkaSecurity.plaintext())
                .clientOverrides(Map.of());
    }

    /** The producer settings of every Streams application, by producer key: see {@link #streamsProperties}. */
    private static final Map<String, Object> BATCHING_PRODUCER = Map.of(
            ProducerConfig.LINGER_MS_CONFIG,
            5,
            ProducerConfig.BATCH_SIZE_CONFIG,
            256 * 1024,
            ProducerConfig.COMPRESSION_TYPE_CONFIG,
            "lz4");

    public KafkaSettingsBuilder toBuilder() {
        return KafkaSettingsBuilder.builder(this);
    }

    /**
     * These settings with one more property for every client (e.g. {@code linger.ms}), replacing an override of
     * the same key.
     */
    public KafkaSettings withClientOverride(String key, Object value) {
        Map<String, Object> overrides = new HashMap<>(clientOverrides);
        overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, key));
        return toBuilder().clientOverrides(overrides).build();
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
     * A Kafka Streams application's properties: its id, exactly-once v2, {@link #replicationFactor()} for its
     * internal topics, {@link #standbyReplicas()}, and producers that batch (up to 256 KiB, 5 ms, LZ4) unless a
     * {@link #clientOverrides() client override} sets {@code linger.ms}, {@code batch.size} or {@code
     * compression.type}; the application adds its state directory, threads and commit interval. New and mutable.
     */
    public Properties streamsProperties(String applicationId) {
        Objects.requireNonNull(applicationId, "applicationId");
        Properties props = new Properties();
        props.putAll(common());
        // StreamsConfig's names: kafka-streams is not a dependency of this module
        props.put("application.id", applicationId);
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("replication.factor", replicationFactor);
        props.put("num.standby.replicas", standbyReplicas);
        // batching producers (Streams' own are 16 KiB, uncompressed): a monitor with its snapshots repartitioned
        // by view took 18.2 s of CPU per 10^6 snapshots without, 11.7 s with (benchmarks/README.md)
        BATCHING_PRODUCER.forEach((key, value) -> {
            if (!clientOverrides.containsKey(key)) {
                props.put("producer." + key, value);
            }
        });
        return props;
    }

    private Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>(clientOverrides);
        props.putAll(security.clientProperties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return props;
    }

    /**
     * For messages: where Kafka is and how the clients connect ({@code 127.0.0.1:9093, SASL_SSL (SCRAM-SHA-512
     * as user "fathom")}); never a password.
     */
    public String description() {
        return bootstrapServers + ", " + security.description();
    }

    /**
     * Every component but secrets: the security's passwords, and the value of any override whose key names a
     * password, secret, token or JAAS configuration, print as {@value KafkaSecurity#HIDDEN}.
     */
    @Override
    public String toString() {
        Map<String, Object> overrides = new TreeMap<>();
        clientOverrides.forEach((key, value) -> overrides.put(key, secretKey(key) ? KafkaSecurity.HIDDEN : value));
        return "KafkaSettings[bootstrapServers=" + bootstrapServers + ", partitions=" + partitions
                + ", replicationFactor=" + replicationFactor + ", standbyReplicas=" + standbyReplicas
                + ", security=" + security + ", clientOverrides="
                + overrides + "]";
    }

    private static boolean secretKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password")
                || lower.contains("secret")
                || lower.contains("token")
                || lower.contains("jaas")
                || lower.endsWith(".key");
    }
}
