package io.fathom.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what the tests wrote, with a group consumer; waits by polling, never by sleeping. */
final class Consume {
    private static final StringDeserializer DESERIALIZER = new StringDeserializer();

    private Consume() {}

    /**
     * Subscribes and polls until the consumer's position has reached the end of every partition of the
     * topics (the last stable offset, under {@code read_committed}).
     *
     * @throws AssertionError if it has not within {@code timeout}
     */
    static List<ConsumerRecord<String, String>> toTheEnd(
            Map<String, Object> consumerProps, List<String> topics, Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, DESERIALIZER, DESERIALIZER)) {
            consumer.subscribe(topics);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() - deadline < 0) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                Set<TopicPartition> assigned = consumer.assignment();
                if (!assigned.isEmpty()
                        && consumer.endOffsets(assigned).entrySet().stream()
                                .allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                    return records;
                }
            }
        }
        throw new AssertionError(
                "did not reach the end of " + topics + " within " + timeout + "; read " + records.size() + " records");
    }
}
