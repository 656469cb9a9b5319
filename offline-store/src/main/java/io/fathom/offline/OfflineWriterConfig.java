package io.fathom.offline;

import io.fathom.kafka.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the offline writer needs besides the definitions; start from {@link #builder()}, whose fields
 * hold the defaults.
 *
 * @param kafka the cluster; its consumer properties (read committed, no auto-commit), with its overrides
 *     (security, timeouts)
 * @param groupId consumer group of the writer (instances of one group share the partitions)
 * @param store where the files go
 * @param views the views to write (their {@code fathom.snapshots.<view>} topics); empty means all
 * @param rollRows a file is committed once it holds this many rows
 * @param rollBytes ... or once its Parquet data (written and buffered) reaches this many bytes
 * @param rollInterval ... or once it has been open this long (wall clock), so data becomes visible under
 *     light load; the only roll that depends on timing rather than on the records
 * @param rowGroupBytes Parquet row-group size (smaller groups let the join skip more by event time)
 * @param pollTimeout longest wait of one consumer poll
 */
public record OfflineWriterConfig(
        KafkaSettings kafka,
        String groupId,
        OfflineStoreConfig store,
        List<String> views,
        long rollRows,
        long rollBytes,
        Duration rollInterval,
        long rowGroupBytes,
        Duration pollTimeout) {

    public OfflineWriterConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(rollInterval, "rollInterval");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        views = List.copyOf(Objects.requireNonNull(views, "views"));
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .kafka(kafka)
                .groupId(groupId)
                .store(store)
                .views(views)
                .rollRows(rollRows)
                .rollBytes(rollBytes)
                .rollInterval(rollInterval)
                .rowGroupBytes(rowGroupBytes)
                .pollTimeout(pollTimeout);
    }

    /** {@link OfflineWriterConfig}'s fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private KafkaSettings kafka;
        /** Default {@code fathom-offline-writer}. */
        private String groupId = "fathom-offline-writer";
        /** Required. */
        private OfflineStoreConfig store;
        /** Default: all the definitions' views. */
        private List<String> views = List.of();
        /** Default 1 000 000 rows. */
        private long rollRows = 1_000_000;
        /** Default 256 MiB. */
        private long rollBytes = 256L << 20;
        /** Default 5 minutes. */
        private Duration rollInterval = Duration.ofMinutes(5);
        /** Default 32 MiB. */
        private long rowGroupBytes = 32L << 20;
        /** Default 500 ms. */
        private Duration pollTimeout = Duration.ofMillis(500);

        private Builder() {}

        public Builder kafka(KafkaSettings settings) {
            this.kafka = settings;
            return this;
        }

        public Builder groupId(String id) {
            this.groupId = id;
            return this;
        }

        public Builder store(OfflineStoreConfig config) {
            this.store = config;
            return this;
        }

        public Builder views(List<String> names) {
            this.views = names;
            return this;
        }

        public Builder rollRows(long rows) {
            this.rollRows = rows;
            return this;
        }

        public Builder rollBytes(long bytes) {
            this.rollBytes = bytes;
            return this;
        }

        public Builder rollInterval(Duration interval) {
            this.rollInterval = interval;
            return this;
        }

        public Builder rowGroupBytes(long bytes) {
            this.rowGroupBytes = bytes;
            return this;
        }

        public Builder pollTimeout(Duration timeout) {
            this.pollTimeout = timeout;
            return this;
        }

        public OfflineWriterConfig build() {
            return new OfflineWriterConfig(
                    kafka, groupId, store, views, rollRows, rollBytes, rollInterval, rowGroupBytes, pollTimeout);
        }
    }
}
