package io.fathom.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and returns only once they can be written to safely, through any {@link Admin}: a
 * cluster's, the embedded broker's, or a container's.
 *
 * <p>A created topic reaches the broker's metadata, and then its log, a moment after the controller
 * acknowledged it; an idempotent producer writing in that window is where batches got lost (KAFKA-15591).
 * Asking each partition's leader for its end offset succeeds only once the leader really serves the
 * partition, so that is what both methods wait for, polling {@code describeTopics} (every partition has a
 * leader) and {@code listOffsets(latest)} every 20 ms in the calling thread, with a deadline.
 *
 * <ul>
 *   <li>{@link #ensure}: what a component does at start. Topics that exist already are left as they are
 *       (their partitions and settings too: a component that needs a partition count checks it itself).
 *   <li>{@link #create}: what a test or the demo does. A topic that exists already is an error.
 * </ul>
 */
public final class Topics {

    /** How long creating the topics and waiting for their leaders may take together, by default. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Topics() {}

    /** {@link #ensure(Admin, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void ensure(Admin admin, List<TopicSpec> topics) {
        ensure(admin, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the topics that do not exist yet, and waits until the leader of every partition of every topic
     * serves it. A name given twice is created once, as its first spec says.
     *
     * @throws IllegalArgumentException if no topic is given
     * @throws FathomKafkaException if the broker refuses a topic for another reason than that it exists, or
     *     the leaders do not serve every partition within {@code timeout}
     */
    public static void ensure(Admin admin, List<TopicSpec> topics, Duration timeout) {
        createAndAwait(admin, topics, timeout, true);
    }

    /**
     * What a test or the demo does: creates topics with {@code partitions} partitions, replication 1 and
     * {@code retention.ms=-1} (records with old event times are never deleted), as {@link #create(Admin,
     * List)} does.
     *
     * @throws IllegalArgumentException if {@code partitions} is below 1, or no name is given
     */
    public static void create(Admin admin, int partitions, String... names) {
        Objects.requireNonNull(names, "names");
        create(
                admin,
                Arrays.stream(names)
                        .map(name -> TopicSpec.of(name, partitions, (short) 1).keptForever())
                        .toList());
    }

    /** {@link #create(Admin, List, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void create(Admin admin, List<TopicSpec> topics) {
        create(admin, topics, DEFAULT_TIMEOUT);
    }

    /**
     * Creates the topics and waits until the leader of every partition serves it.
     *
     * @throws IllegalArgumentException if no topic is given
     * @throws FathomKafkaException if a topic exists already (cause {@link TopicExistsException}), the broker
     *     refuses one, or the leaders do not serve every partition within {@code timeout}
     */
    public static void create(Admin admin, List<TopicSpec> topics, Duration timeout) {
        createAndAwait(admin, topics, timeout, false);
    }

    private static void createAndAwait(Admin admin, List<TopicSpec> topics, Duration timeout, boolean existingAllowed) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("creating topics needs at least one topic");
        }
        Map<String, TopicSpec> byName = new LinkedHashMap<>();
        topics.forEach(
                spec -> byName.putIfAbsent(Objects.requireNonNull(spec, "topic").name(), spec));
        List<String> names = List.copyOf(byName.keySet());
        long startedAt = System.nanoTime();
        CreateTopicsResult result = admin.createTopics(
                byName.values().stream().map(TopicSpec::toNewTopic).toList());
        Set<String> created = new HashSet<>();
        for (String name : names) {
            try {
                result.values().get(name).get(remainingMillis(startedAt, timeout), TimeUnit.MILLISECONDS);
                created.add(name);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (!(existingAllowed && cause instanceof TopicExistsException)) {
                    throw new FathomKafkaException(
                            "could not create topic " + name + ": " + KafkaFailures.describe(cause), cause);
                }
            } catch (TimeoutException e) {
                throw new FathomKafkaException("topic " + name + " was not created within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FathomKafkaException("interrupted while creating topics " + names, e);
            }
        }
        Poll.until(
                "the leader of every partition of " + names + " to serve it",
                startedAt,
                timeout,
                remaining -> allServed(admin, byName, created, remaining));
    }

    private static long remainingMillis(long startedAt, Duration timeout) {
        return Math.max(0, timeout.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    /**
     * Every partition has a leader that answers {@code listOffsets}; a topic created here has all the
     * partitions of its spec (one that existed before has whatever it has).
     */
    private static boolean allServed(
            Admin admin, Map<String, TopicSpec> byName, Set<String> created, Duration remaining) throws Exception {
        Map<String, TopicDescription> descriptions = admin.describeTopics(List.copyOf(byName.keySet()))
                .allTopicNames()
                .get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        List<TopicPartition> partitions = new ArrayList<>();
        for (TopicDescription topic : descriptions.values()) {
            int expected = created.contains(topic.name())
                    ? byName.get(topic.name()).partitions()
                    : Math.max(1, topic.partitions().size());
            if (topic.partitions().size() != expected
                    || topic.partitions().stream().anyMatch(partition -> partition.leader() == null)) {
                return false;
            }
            topic.partitions()
                    .forEach(partition -> partitions.add(new TopicPartition(topic.name(), partition.partition())));
        }
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        admin.listOffsets(latest).all().get(remaining.toMillis(), TimeUnit.MILLISECONDS);
        return true;
    }
}
