package io.fathom.testkit;

import io.fathom.testkit.internal.BrokerBackend;
import io.fathom.testkit.internal.BrokerBackends;
import io.fathom.testkit.internal.TestkitSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on a real, running Kafka broker for tests.
 *
 * <p>By default the broker is a single-node KRaft broker inside this JVM, on an ephemeral port, that
 * needs no Docker. With {@code FATHOM_TESTKIT_DOCKER=true} (system property or environment variable) and a
 * Docker engine that answers, it is an {@code apache/kafka} container instead.
 *
 * <p>In JUnit 5 tests, prefer {@link KafkaExtension}, which shares one broker across the whole run; a
 * broker injected by the extension must not be closed by a test.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private final BrokerBackend backend;
    private final Admin admin;

    private KafkaBroker(BrokerBackend backend) {
        this.backend = backend;
        try {
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers()));
        } catch (RuntimeException e) {
            closeAfterFailure(backend, e);
            throw new TestkitException("could not create an admin client for the " + backend.description(), e);
        }
    }

    /**
     * Starts a broker: in this JVM, or in Docker when {@code FATHOM_TESTKIT_DOCKER=true} and a Docker
     * engine answers.
     */
    public static KafkaBroker start() {
        return start(() -> BrokerBackends.start(TestkitSettings.fromEnvironment()));
    }

    /** Starts a broker in this JVM, whatever {@code FATHOM_TESTKIT_DOCKER} says. */
    public static KafkaBroker startInJvm() {
        return start(BrokerBackends::startInJvm);
    }

    private static KafkaBroker start(Supplier<BrokerBackend> starter) {
        long startedAt = System.nanoTime();
        KafkaBroker broker = new KafkaBroker(starter.get());
        LOG.info(
                "Started {} in {} ms",
                broker.backend.description(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /**
     * Creates topics with the given number of partitions, replication factor 1 and {@code retention.ms=-1}
     * (records with old event timestamps are never deleted), and waits until the leader of every partition
     * serves it.
     *
     * @throws TestkitException if a topic already exists or the broker refuses it
     */
    public void createTopics(int partitions, String... names) {
        if (partitions < 1) {
            throw new TestkitException("partitions must be at least 1, was " + partitions);
        }
        Objects.requireNonNull(names, "names");
        if (names.length == 0) {
            throw new TestkitException("createTopics needs at least one topic name");
        }
        List<NewTopic> topics = Arrays.stream(names)
                .map(name -> new NewTopic(Objects.requireNonNull(name, "topic name"), partitions, (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))
                .toList();
        List<String> topicNames = List.of(names);
        try {
            admin.createTopics(topics).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            awaitServed(topicNames, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while creating topics " + topicNames, e);
        } catch (ExecutionException e) {
            throw new TestkitException(
                    "could not create topics " + topicNames + " on the " + backend.description() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new TestkitException(
                    "topics " + topicNames + " were not created within " + ADMIN_TIMEOUT + " on the "
                            + backend.description(),
                    e);
        }
    }

    /**
     * A created topic reaches the broker's metadata, and then its log, a moment after the controller
     * acknowledged it; producing in that window is where batches got lost (KAFKA-15591). Asking each
     * partition's leader for its end offset succeeds only once the leader really serves the partition.
     */
    private void awaitServed(List<String> topicNames, int partitions) {
        try {
            Awaitility.await("every partition of " + topicNames + " served by its leader")
                    .atMost(ADMIN_TIMEOUT)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(20))
                    .ignoreExceptionsInstanceOf(ExecutionException.class)
                    .until(() -> allServed(topicNames, partitions));
        } catch (ConditionTimeoutException e) {
            throw new TestkitException(
                    "topics " + topicNames + " were not served by a leader within " + ADMIN_TIMEOUT, e);
        }
    }

    private boolean allServed(List<String> topicNames, int partitions) throws Exception {
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(topicNames).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        boolean allLed = descriptions.values().stream()
                .allMatch(topic -> topic.partitions().size() == partitions
                        && topic.partitions().stream().allMatch(partition -> partition.leader() != null));
        if (!allLed) {
            return false;
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        descriptions.values().forEach(topic -> topic.partitions()
                .forEach(partition ->
                        latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }

    /**
     * Properties for a producer of this broker: {@code acks=all}, idempotence on, and one request in
     * flight per connection (an idempotent producer right after topic creation can otherwise lose a batch,
     * KAFKA-15591). Pass serializers to the producer's constructor. Returns a new, mutable map.
     */
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    /**
     * Properties for a consumer of this broker in the given group: {@code read_committed}, reading from the
     * earliest offset, no auto-commit, no topic auto-creation. Pass deserializers to the consumer's
     * constructor. Returns a new, mutable map.
     */
    public Map<String, Object> consumerProps(String groupId) {
        Objects.requireNonNull(groupId, "groupId");
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        return props;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + backend.description() + "]";
    }

    private static void closeAfterFailure(BrokerBackend backend, RuntimeException failure) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
