package io.fathom.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Reads what tests wrote: every partition of the given topics from its beginning, with the consumer
 * properties given (use {@link KafkaBroker#consumerProps(String)} for {@code read_committed}). Waiting is
 * done with Awaitility, never with sleeps.
 *
 * <p>The consumer is assigned the partitions directly, so no group rebalance delays the first record and
 * no offsets are committed.
 */
public final class Records {
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    /**
     * The drain consumer is in no group and commits nothing, so closing it has nothing to wait for; a
     * default close still waited about 500 ms per drain.
     */
    private static final CloseOptions CLOSE_NOW = CloseOptions.timeout(Duration.ZERO);

    private Records() {}

    /**
     * Reads until at least {@code expectedCount} records have arrived.
     *
     * @return every record read, in arrival order (ordered within each partition); there can be more than
     *     {@code expectedCount} if more were written
     * @throws TestkitException if fewer than {@code expectedCount} arrived within {@code timeout}
     */
    public static <K, V> List<ConsumerRecord<K, V>> drain(
            Map<String, Object> consumerProps,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            Collection<String> topics,
            int expectedCount,
            Duration timeout) {
        if (expectedCount < 0) {
            throw new TestkitException("expectedCount must not be negative, was " + expectedCount);
        }
        Objects.requireNonNull(timeout, "timeout");
        KafkaConsumer<K, V> consumer = assignedConsumer(consumerProps, keyDeserializer, valueDeserializer, topics);
        try {
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            try {
                awaitility(timeout).until(() -> {
                    consumer.poll(POLL_TIMEOUT).forEach(records::add);
                    return records.size() >= expectedCount;
                });
            } catch (ConditionTimeoutException e) {
                throw new TestkitException(
                        "expected " + expectedCount + " records from " + topics + " within " + timeout + " but read "
                                + records.size(),
                        e);
            }
            return List.copyOf(records);
        } finally {
            consumer.close(CLOSE_NOW);
        }
    }

    /**
     * Reads until the consumer has caught up with the end of every partition (the last stable offset under
     * {@code read_committed}) and no record has arrived for {@code idle}: for a writer that is still
     * running, such as a Streams application, whose output count is not known in advance.
     *
     * @return every record read, in arrival order (ordered within each partition)
     * @throws TestkitException if the topics did not stay idle for {@code idle} within {@code timeout}
     */
    public static <K, V> List<ConsumerRecord<K, V>> drainUntilIdle(
            Map<String, Object> consumerProps,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            Collection<String> topics,
            Duration idle,
            Duration timeout) {
        Objects.requireNonNull(idle, "idle");
        Objects.requireNonNull(timeout, "timeout");
        if (idle.compareTo(timeout) >= 0) {
            throw new TestkitException("idle (" + idle + ") must be shorter than timeout (" + timeout + ")");
        }
        KafkaConsumer<K, V> consumer = assignedConsumer(consumerProps, keyDeserializer, valueDeserializer, topics);
        try {
            List<ConsumerRecord<K, V>> records = new ArrayList<>();
            try {
                // during(idle): the condition must hold on every poll for the whole idle period; a record
                // arriving in the meantime starts the period again.
                awaitility(timeout).during(idle).until(() -> {
                    int before = records.size();
                    consumer.poll(POLL_TIMEOUT).forEach(records::add);
                    return records.size() == before && caughtUp(consumer);
                });
            } catch (ConditionTimeoutException e) {
                throw new TestkitException(
                        "records from " + topics + " did not stop arriving for " + idle + " within " + timeout
                                + "; read " + records.size(),
                        e);
            }
            return List.copyOf(records);
        } finally {
            consumer.close(CLOSE_NOW);
        }
    }

    private static ConditionFactory awaitility(Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                // KafkaConsumer is single-threaded: poll it from the calling thread only.
                .pollInSameThread()
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(1));
    }

    private static boolean caughtUp(KafkaConsumer<?, ?> consumer) {
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(assignment);
        return assignment.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
    }

    private static <K, V> KafkaConsumer<K, V> assignedConsumer(
            Map<String, Object> consumerProps,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer,
            Collection<String> topics) {
        Objects.requireNonNull(consumerProps, "consumerProps");
        Objects.requireNonNull(topics, "topics");
        if (topics.isEmpty()) {
            throw new TestkitException("drain needs at least one topic");
        }
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(consumerProps, keyDeserializer, valueDeserializer);
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new TestkitException("topic " + topic + " does not exist");
                }
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return consumer;
        } catch (RuntimeException e) {
            consumer.close(CLOSE_NOW);
            throw e;
        }
    }
}
