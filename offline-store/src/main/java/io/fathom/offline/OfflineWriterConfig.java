package io.fathom.offline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the offline writer needs besides the definitions.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param groupId consumer group of the writer (instances of one group share the partitions)
 * @param store where the files go
 * @param views the views to write (their {@code fathom.snapshots.<view>} topics); empty means all
 * @param rollRows a file is committed once it holds this many rows
 * @param rollBytes ... or once its Parquet data (written and buffered) reaches this many bytes
 * @param rollInterval ... or once it has been open this long (wall clock), so data becomes visible under
 *     light load; the only roll that depends on timing rather than on the records
 * @param rowGroupBytes Parquet row-group size (smaller groups let the join skip more by event time)
 * @param pollTimeout longest wait of one consumer poll
 * @param consumerProperties extra Kafka consumer properties (security, timeouts); those the writer's
 *     guarantees depend on (isolation level, auto-commit, deserializers, group id) cannot be overridden
 */
public record OfflineWriterConfig(
        String bootstrapServers,
        String groupId,
        OfflineStoreConfig store,
        List<String> views,
        long rollRows,
        long rollBytes,
        Duration rollInterval,
        long rowGroupBytes,
        Duration pollTimeout,
        Map<String, Object> consumerProperties) {

    public OfflineWriterConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(rollInterval, "rollInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        views = List.copyOf(views);
        consumerProperties = Map.copyOf(consumerProperties);
        if (rollRows < 1) {
            throw new IllegalArgumentException("rollRows must be >= 1, was " + rollRows);
        }
        if (rollBytes < 1) {
            throw new IllegalArgumentException("rollBytes must be >= 1, was " + rollBytes);
        }
        if (rollInterval.isNegative() || rollInterval.isZero()) {
            throw new IllegalArgumentException("rollInterval must be positive, was " + rollInterval);
        }
        if (rowGroupBytes < 1024) {
            throw new IllegalArgumentException("rowGroupBytes must be >= 1024, was " + rowGroupBytes);
        }
        if (pollTimeout.isNegative()) {
            throw new IllegalArgumentException("pollTimeout must not be negative, was " + pollTimeout);
        }
    }

    /**
     * Defaults: group {@code fathom-offline-writer}, all views, files of at most 1M rows or 256 MiB or 5
     * minutes, 32 MiB row groups, 500 ms polls.
     */
    public static OfflineWriterConfig defaults(String bootstrapServers, OfflineStoreConfig store) {
        return new OfflineWriterConfig(
                bootstrapServers,
                "fathom-offline-writer",
                store,
                List.of(),
                1_000_000,
                256L << 20,
                Duration.ofMinutes(5),
                32L << 20,
                Duration.ofMillis(500),
                Map.of());
    }

    public OfflineWriterConfig withGroupId(String id) {
        return new OfflineWriterConfig(
                bootstrapServers,
                id,
                store,
                views,
                rollRows,
                rollBytes,
                rollInterval,
                rowGroupBytes,
                pollTimeout,
                consumerProperties);
    }

    public OfflineWriterConfig withViews(List<String> names) {
        return new OfflineWriterConfig(
                bootstrapServers,
                groupId,
                store,
                names,
                rollRows,
                rollBytes,
                rollInterval,
                rowGroupBytes,
                pollTimeout,
                consumerProperties);
    }

    public OfflineWriterConfig withRoll(long rows, long bytes, Duration interval) {
        return new OfflineWriterConfig(
                bootstrapServers,
                groupId,
                store,
                views,
                rows,
                bytes,
                interval,
                rowGroupBytes,
                pollTimeout,
                consumerProperties);
    }

    public OfflineWriterConfig withRowGroupBytes(long bytes) {
        return new OfflineWriterConfig(
                bootstrapServers,
                groupId,
                store,
                views,
                rollRows,
                rollBytes,
                rollInterval,
                bytes,
                pollTimeout,
                consumerProperties);
    }

    public OfflineWriterConfig withPollTimeout(Duration timeout) {
        return new OfflineWriterConfig(
                bootstrapServers,
                groupId,
                store,
                views,
                rollRows,
                rollBytes,
                rollInterval,
                rowGroupBytes,
                timeout,
                consumerProperties);
    }

    public OfflineWriterConfig withConsumerProperties(Map<String, Object> properties) {
        return new OfflineWriterConfig(
                bootstrapServers,
                groupId,
                store,
                views,
                rollRows,
                rollBytes,
                rollInterval,
                rowGroupBytes,
                pollTimeout,
                properties);
    }
}
