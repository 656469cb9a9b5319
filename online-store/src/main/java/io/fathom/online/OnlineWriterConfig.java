package io.fathom.online;

import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.ViewDefinition;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of an {@link OnlineWriter}; start from {@link #builder()}, preset with the defaults below.
 *
 * @param kafka the cluster; its consumer properties (read committed, no auto-commit), with its overrides
 *     (security, client id, ...); required
 * @param groupId the consumer group; its committed offsets are where the writer resumes; default {@code
 *     fathom-online-writer}
 * @param views the views whose {@code fathom.snapshots.<view>} topics the writer applies; required: at least
 *     one
 * @param pollTimeout how long one poll waits for records; default 200 ms
 * @param retryBackoffMin the first wait after a failed store write; default 100 ms
 * @param retryBackoffMax the cap of the doubling wait between retries while the store is down; default 5 s
 * @param maxPollRecords the largest batch written to the store at once; default 2 000 snapshots
 */
@RecordBuilder
public record OnlineWriterConfig(
        KafkaSettings kafka,
        String groupId,
        List<String> views,
        Duration pollTimeout,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        int maxPollRecords) {

    public OnlineWriterConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(groupId, "groupId");
        views = List.copyOf(Objects.requireNonNull(views, "views"));
        if (views.isEmpty()) {
            throw new IllegalArgumentException("the online writer needs at least one view");
        }
        Checks.positive(pollTimeout, "pollTimeout");
        Checks.positive(retryBackoffMin, "retryBackoffMin");
        Checks.positive(retryBackoffMax, "retryBackoffMax");
        if (retryBackoffMax.compareTo(retryBackoffMin) < 0) {
            throw new IllegalArgumentException(
                    "retryBackoffMax (" + retryBackoffMax + ") is below retryBackoffMin (" + retryBackoffMin + ")");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, was " + maxPollRecords);
        }
    }

    /** A builder preset with the defaults; {@code kafka} and {@code views} are required. */
    public static OnlineWriterConfigBuilder builder() {
        return OnlineWriterConfigBuilder.builder()
                .groupId("fathom-online-writer")
                .views(List.of())
                .pollTimeout(Duration.ofMillis(200))
                .retryBackoffMin(Duration.ofMillis(100))
                .retryBackoffMax(Duration.ofSeconds(5))
                .maxPollRecords(2_000);
    }

    public OnlineWriterConfigBuilder toBuilder() {
        return OnlineWriterConfigBuilder.builder(this);
    }

    /** The snapshot topic of each view, in {@link #views()} order. */
    public List<String> topics() {
        return views.stream().map(ViewDefinition::snapshotTopicOf).toList();
    }

    /**
     * The consumer's properties: {@link KafkaSettings#consumerProperties} ({@code read_committed}: only
     * snapshots of committed ingest transactions; no auto-commit: offsets are committed after the store
     * acknowledged; {@code earliest} for a new group) with batches of at most {@link #maxPollRecords()}.
     */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> props = kafka.consumerProperties(groupId);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return props;
    }
}
