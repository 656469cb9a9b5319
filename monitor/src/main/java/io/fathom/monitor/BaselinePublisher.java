package io.fathom.monitor;

import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.TopicSpec;
import io.fathom.monitor.drift.Baseline;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes baselines to the compacted baselines topic (key = view, value = {@link Baseline#toJson()}),
 * waiting for the broker's acknowledgement, so every monitor instance judges against the same one.
 */
public final class BaselinePublisher implements AutoCloseable {
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaProducer<String, String> producer;
    private final String topic;

    /** A publisher to {@code topic}, with {@code kafka}'s producer properties (acks=all, idempotent). */
    public BaselinePublisher(KafkaSettings kafka, String topic) {
        this.producer = new KafkaProducer<>(
                Objects.requireNonNull(kafka, "kafka").producerProperties(),
                new StringSerializer(),
                new StringSerializer());
        this.topic = Objects.requireNonNull(topic, "topic");
    }

    /** The baselines topic to create: compacted, so the latest baseline of each view is kept forever. */
    public static TopicSpec topic(String name, int partitions, short replicationFactor) {
        return TopicSpec.of(name, partitions, replicationFactor).compacted();
    }

    /** Publishes the baseline of its view and waits until the broker has it. */
    public void publish(Baseline baseline) {
        Objects.requireNonNull(baseline, "baseline");
        try {
            producer.send(new ProducerRecord<>(topic, baseline.view(), baseline.toJson()))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException("interrupted while publishing the baseline of " + baseline.view(), e);
        } catch (ExecutionException e) {
            throw new MonitorException(
                    "cannot publish the baseline of " + baseline.view() + " to " + topic, e.getCause());
        } catch (TimeoutException e) {
            throw new MonitorException(
                    "the baseline of " + baseline.view() + " was not acknowledged within " + SEND_TIMEOUT, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
