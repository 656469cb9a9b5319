package io.fathom.monitor.delivery;

import io.fathom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of an {@link AlertDispatcher}; start from {@link #builder()}, whose fields hold the defaults.
 *
 * @param kafka the cluster; the consumer's and the dead-letter producer's properties, with its overrides
 * @param groupId the consumer group: dispatchers of one group share the alerts' partitions
 * @param endpoints where every alert goes (at least one; unique names)
 * @param topic the alerts topic
 * @param deadLetterTopic where an alert an endpoint did not take goes
 * @param payloads how bodies are rendered, with Fathom's external URL
 * @param closeTimeout how long {@link AlertDispatcher#close()} waits for the thread
 */
public record AlertDispatcherConfig(
        KafkaSettings kafka,
        String groupId,
        List<WebhookEndpoint> endpoints,
        String topic,
        String deadLetterTopic,
        AlertPayloads payloads,
        Duration closeTimeout) {

    public AlertDispatcherConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(groupId, "groupId");
        endpoints = List.copyOf(Objects.requireNonNull(endpoints, "endpoints"));
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        Objects.requireNonNull(payloads, "payloads");
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        List<String> problems = new ArrayList<>();
        if (endpoints.isEmpty()) {
            problems.add("no endpoint configured");
        }
        Set<String> names = new HashSet<>();
        for (WebhookEndpoint endpoint : endpoints) {
            if (!names.add(endpoint.name())) {
                problems.add("endpoint name '" + endpoint.name() + "' is used twice");
            }
        }
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            problems.add("closeTimeout must be positive, was " + closeTimeout);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid alert dispatcher settings: " + String.join("; ", problems));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .kafka(kafka)
                .groupId(groupId)
                .endpoints(endpoints)
                .topic(topic)
                .deadLetterTopic(deadLetterTopic)
                .payloads(payloads)
                .closeTimeout(closeTimeout);
    }

    /** {@link AlertDispatcherConfig}'s fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private KafkaSettings kafka;
        /** Default {@code fathom-alert-dispatcher}. */
        private String groupId = "fathom-alert-dispatcher";
        /** Required: at least one. */
        private final List<WebhookEndpoint> endpoints = new ArrayList<>();
        /** Default {@value AlertDispatcher#ALERTS_TOPIC}. */
        private String topic = AlertDispatcher.ALERTS_TOPIC;
        /** Default {@value AlertDispatcher#DEAD_LETTER_TOPIC}. */
        private String deadLetterTopic = AlertDispatcher.DEAD_LETTER_TOPIC;
        /** Default: no external URL. */
        private AlertPayloads payloads = AlertPayloads.of("");
        /** Default 30 s. */
        private Duration closeTimeout = Duration.ofSeconds(30);

        private Builder() {}

        public Builder kafka(KafkaSettings settings) {
            this.kafka = settings;
            return this;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        /** One more endpoint. */
        public Builder endpoint(WebhookEndpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        /** More endpoints. */
        public Builder endpoints(List<WebhookEndpoint> more) {
            more.forEach(this::endpoint);
            return this;
        }

        public Builder topic(String name) {
            this.topic = name;
            return this;
        }

        public Builder deadLetterTopic(String name) {
            this.deadLetterTopic = name;
            return this;
        }

        public Builder payloads(AlertPayloads rendering) {
            this.payloads = rendering;
            return this;
        }

        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = timeout;
            return this;
        }

        public AlertDispatcherConfig build() {
            return new AlertDispatcherConfig(kafka, groupId, endpoints, topic, deadLetterTopic, payloads, closeTimeout);
        }
    }
}
