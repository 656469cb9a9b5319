package io.fathom.online;

import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings of an {@link OnlineWriter}; start from {@link #builder()}, whose fields hold the defaults.
 *
 * @param kafka the cluster; its consumer properties (read committed, no auto-commit), with its overrides
 *     (security, client id, ...)
 * @param groupId the consumer group; its committed offsets are where the writer resumes
 * @param views the views whose {@code fathom.snapshots.<view>} topics the writer applies
 * @param pollTimeout how long one poll waits for records
 * @param retryBackoffMin the first wait after a failed store write
 * @param retryBackoffMax the cap of the doubling wait between retries while the store is down
 * @param maxPollRecords the largest batch written to the store at once
 */
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .kafka(kafka)
                .groupId(groupId)
                .views(views)
                .pollTimeout(pollTimeout)
                .retryBackoff(retryBackoffMin, retryBackoffMax)
                .maxPollRecords(maxPollRecords);
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

    /** {@link OnlineWriterConfig}'s fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private KafkaSettings kafka;
        /** Default {@code fathom-online-writer}. */
        private String groupId = "fathom-online-writer";
        /** Required: at least one. */
        private List<String> views = List.of();
        /** Default 200 ms. */
        private Duration pollTimeout = Duration.ofMillis(200);
        /** Default 100 ms. */
        private Duration retryBackoffMin = Duration.ofMillis(100);
        /** Default 5 s. */
        private Duration retryBackoffMax = Duration.ofSeconds(5);
        /** Default 2 000 snapshots. */
        private int maxPollRecords = 2_000;

        private Builder() {}

        public Builder kafka(KafkaSettings settings) {
            this.kafka = settings;
            return this;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder views(List<String> names) {
            this.views = names;
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        /** The first wait after a failed store write, and the cap it doubles up to. */
        public Builder retryBackoff(Duration min, Duration max) {
            this.retryBackoffMin = min;
            this.retryBackoffMax = max;
            return this;
        }

        public Builder maxPollRecords(int records) {
            this.maxPollRecords = records;
            return this;
        }

        public OnlineWriterConfig build() {
            return new OnlineWriterConfig(
                    kafka, groupId, views, pollTimeout, retryBackoffMin, retryBackoffMax, maxPollRecords);
        }
    }
}
