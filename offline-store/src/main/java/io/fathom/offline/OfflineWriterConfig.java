package io.fathom.offline;

import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Everything the offline writer needs besides the definitions; start from {@link #builder()}, preset with
 * the defaults below.
 *
 * @param kafka the cluster; its consumer properties (read committed, no auto-commit), with its overrides
 *     (security, timeouts); required
 * @param groupId consumer group of the writer (instances of one group share the partitions); default {@code
 *     fathom-offline-writer}
 * @param store where the files go; required
 * @param views the views to write (their {@code fathom.snapshots.<view>} topics); empty (the default) means
 *     all the definitions' views
 * @param rollRows a file is committed once it holds this many rows; default 1 000 000
 * @param rollBytes ... or once its Parquet data (written and buffered) reaches this many bytes; default 256 MiB
 * @param rollInterval ... or once it has been open this long (wall clock), so data becomes visible under
 *     light load; the only roll that depends on timing rather than on the records. Default 5 minutes
 * @param rowGroupBytes Parquet row-group size (smaller groups let the join skip more by event time); default
 *     32 MiB
 * @param pollTimeout longest wait of one consumer poll; default 500 ms
 */
@RecordBuilder
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
        RecordComponents.requireNonNull(
                OfflineWriterConfig.class,
                kafka,
                groupId,
                store,
                views,
                rollRows,
                rollBytes,
                rollInterval,
                rowGroupBytes,
                pollTimeout);
        views = List.copyOf(views);
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

    /** The writer's consumer group unless configured otherwise. */
    public static final String DEFAULT_GROUP_ID = "fathom-offline-writer";

    /** A builder preset with the defaults; {@code kafka} and {@code store} are required. */
    public static OfflineWriterConfigBuilder builder() {
        return OfflineWriterConfigBuilder.builder()
                .groupId(DEFAULT_GROUP_ID)
                .views(List.of())
                .rollRows(1_000_000)
                .rollBytes(256L << 20)
                .rollInterval(Duration.ofMinutes(5))
                .rowGroupBytes(32L << 20)
                .pollTimeout(Duration.ofMillis(500));
    }

    public OfflineWriterConfigBuilder toBuilder() {
        return OfflineWriterConfigBuilder.builder(this);
    }
}
