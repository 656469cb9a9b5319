package io.fathom.online;

import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;

/**
 * Settings of an {@link OnlineWriter}; start from {@link #of(String, String, List)}.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId the consumer group; its committed offsets are where the writer resumes
 * @param views the views whose {@code fathom.snapshots.<view>} topics the writer applies
 * @param pollTimeout how long one poll waits for records; default 200 ms
 * @param retryBackoffMin the first wait after a failed store write; default 100 ms
 * @param retryBackoffMax the cap of the doubling wait between retries while the store is down; default 5 s
 * @param maxPollRecords the largest batch written to the store at once; default 2 000
 * @param consumerOverrides further consumer properties (security, client id, ...); they cannot change the
 *     isolation level, auto-commit, the group or the deserializers
 */
public record OnlineWriterConfig(
        String bootstrapServers,
        String groupId,
        List<String> views,
        Duration pollTimeout,
        Duration retryBackoffMin,
        Duration retryBackoffMax,
        int maxPollRecords,
        Map<String, Object> consumerOverrides) {

    public OnlineWriterConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        views = List.copyOf(views);
        if (views.isEmpty()) {
            throw new IllegalArgumentException("the online writer needs at least one view");
        }
        positive(pollTimeout, "pollTimeout");
        positive(retryBackoffMin, "retryBackoffMin");
        positive(retryBackoffMax, "retryBackoffMax");
        if (retryBackoffMax.compareTo(retryBackoffMin) < 0) {
            throw new IllegalArgumentException(
                    "retryBackoffMax (" + retryBackoffMax + ") is below retryBackoffMin (" + retryBackoffMin + ")");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("maxPollRecords must be >= 1, was " + maxPollRecords);
        }
        consumerOverrides = Map.copyOf(consumerOverrides);
    }

    /** Defaults: 200 ms polls, retries from 100 ms doubling up to 5 s, batches of up to 2 000 snapshots. */
    public static OnlineWriterConfig of(String bootstrapServers, String groupId, List<String> views) {
        return new OnlineWriterConfig(
                bootstrapServers,
                groupId,
                views,
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                Duration.ofSeconds(5),
                2_000,
                Map.of());
    }

    public OnlineWriterConfig withRetryBackoff(Duration min, Duration max) {
        return new OnlineWriterConfig(
                bootstrapServers, groupId, views, pollTimeout, min, max, maxPollRecords, consumerOverrides);
    }

    public OnlineWriterConfig withMaxPollRecords(int records) {
        return new OnlineWriterConfig(
                bootstrapServers,
                groupId,
                views,
                pollTimeout,
                retryBackoffMin,
                retryBackoffMax,
                records,
                consumerOverrides);
    }

    public OnlineWriterConfig withConsumerOverrides(Map<String, Object> overrides) {
        return new OnlineWriterConfig(
                bootstrapServers,
                groupId,
                views,
                pollTimeout,
                retryBackoffMin,
                retryBackoffMax,
                maxPollRecords,
                overrides);
    }

    /** The snapshot topic of each view, in {@link #views()} order. */
    public List<String> topics() {
        return views.stream().map(ViewDefinition::snapshotTopicOf).toList();
    }

    /**
     * The consumer's properties: {@code read_committed} (only snapshots of committed ingest transactions),
     * no auto-commit (offsets are committed after the store acknowledged), {@code earliest} for a new group.
     */
    public Map<String, Object> consumerProperties() {
        Map<String, Object> props = new HashMap<>(consumerOverrides);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        return props;
    }

    private static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
