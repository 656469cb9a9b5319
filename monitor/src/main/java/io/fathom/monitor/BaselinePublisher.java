package io.fathom.monitor;

import io.fathom.kafka.TopicSpec;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

    /** A publisher with these producer properties (bootstrap servers at least) to {@code topic}. */
    public BaselinePublisher(Map<String, Object> producerProps, String topic) {
        Map<String, Object> props = new HashMap<>(Objects.requireNonNull(producerProps, "producerProps"));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
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
