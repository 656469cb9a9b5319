package io.fathom.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates topics on a single-node broker and returns only once they can be written to safely, through any
 * {@link Admin}: the embedded broker's, or a container's.
 *
 * <p>A created topic reaches the broker's metadata, and then its log, a moment after the controller
 * acknowledged it; an idempotent producer writing in that window is where batches got lost (KAFKA-15591).
 * Asking each partition's leader for its end offset succeeds only once the leader really serves the
 * partition, so that is what {@link #createAndAwait} waits for.
 */
public final class Topics {

    /** How long creating the topics and waiting for their leaders may take together, by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {}

    /** {@link #createAndAwait(Admin, Duration, int, String...)} with {@link #DEFAULT_TIMEOUT}. */
    public static void createAndAwait(Admin admin, int partitions, String... names) {
        createAndAwait(admin, DEFAULT_TIMEOUT, partitions, names);
    }

    /**
     * Creates topics with the given number of partitions, replication factor 1 and {@code retention.ms=-1}
     * (records with old event timestamps are never deleted), and waits until the leader of every partition
     * serves it.
     *
     * @throws IllegalArgumentException if {@code partitions} is below 1, or no name is given
     * @throws EmbeddedKafkaException if a topic already exists, the broker refuses one, or the leaders do not
     *     serve every partition within {@code timeout}
     */
    public static void createAndAwait(Admin admin, Duration timeout, int partitions, String... names) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(names, "names");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
        }
        if (names.length == 0) {
            throw new IllegalArgumentException("createAndAwait needs at least one topic name");
        }
        List<String> topicNames = Arrays.stream(names)
                .map(name -> Objects.requireNonNull(name, "topic name"))
                .toList();
        List<NewTopic> topics = topicNames.stream()
                .map(name -> new NewTopic(name, partitions, (short) 1)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1")))
                .toList();
        long startedAt = System.nanoTime();
        try {
            admin.createTopics(topics).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddedKafkaException("interrupted while creating topics " + topicNames, e);
        } catch (ExecutionException e) {
            throw new EmbeddedKafkaException(
                    "could not create topics " + topicNames + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddedKafkaException("topics " + topicNames + " were not created within " + timeout, e);
        }
        Poll.until(
                "the leader of every partition of " + topicNames + " to serve it",
                startedAt,
                timeout,
                remaining -> allServed(admin, topicNames, partitions, remaining));
    }

    private static boolean allServed(Admin admin, List<String> topicNames, int partitions, Duration remaining)
            throws Exception {
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(topicNames).allTopicNames().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
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
        admin.listOffsets(latest).all().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }
}
