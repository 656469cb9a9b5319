package io.fathom.monitor.delivery;

import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settings of an {@link AlertDispatcher}; start from {@link #builder()}, preset with the defaults below.
 *
 * @param kafka the cluster; the consumer's and the dead-letter producer's properties, with its overrides;
 *     required
 * @param groupId the consumer group: dispatchers of one group share the alerts' partitions; default {@code
 *     fathom-alert-dispatcher}
 * @param endpoints where every alert goes; required: at least one, unique names
 * @param topic the alerts topic; default {@value AlertDispatcher#ALERTS_TOPIC}
 * @param deadLetterTopic where an alert an endpoint did not take goes; default {@value
 *     AlertDispatcher#DEAD_LETTER_TOPIC}
 * @param payloads how bodies are rendered, with Fathom's external URL; default: no external URL
 * @param closeTimeout how long {@link AlertDispatcher#close()} waits for the thread; default 30 s
 */
@RecordBuilder
public record AlertDispatcherConfig(
        KafkaSettings kafka,
        String groupId,
        List<WebhookEndpoint> endpoints,
        String topic,
        String deadLetterTopic,
        AlertPayloads payloads,
        Duration closeTimeout) {

    public AlertDispatcherConfig {
        RecordComponents.requireNonNull(
                AlertDispatcherConfig.class, kafka, groupId, endpoints, topic, deadLetterTopic, payloads, closeTimeout);
        endpoints = List.copyOf(endpoints);
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

    /** A builder preset with the defaults; {@code kafka} and {@code endpoints} are required. */
    public static AlertDispatcherConfigBuilder builder() {
        return AlertDispatcherConfigBuilder.builder()
                .groupId("fathom-alert-dispatcher")
                .endpoints(List.of())
                .topic(AlertDispatcher.ALERTS_TOPIC)
                .deadLetterTopic(AlertDispatcher.DEAD_LETTER_TOPIC)
                .payloads(AlertPayloads.of(""))
                .closeTimeout(Duration.ofSeconds(30));
    }

    public AlertDispatcherConfigBuilder toBuilder() {
        return AlertDispatcherConfigBuilder.builder(this);
    }
}
