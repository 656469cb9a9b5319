package io.fathom.offline;

import io.fathom.kafka.KafkaSettings;
import java.time.Duration;

/** Offline writer configurations for the tests: files rolled after a few rows or a fraction of a second. */
final class TestWriters {
    private TestWriters() {}

    /** Files of at most {@code rollRows} rows, rolled after {@code rollInterval}; the consumer polls every 100 ms. */
    static OfflineWriterConfigBuilder config(
            KafkaSettings kafka, OfflineStoreConfig store, String groupId, int rollRows, Duration rollInterval) {
        return OfflineWriterConfig.builder()
                .kafka(kafka)
                .store(store)
                .groupId(groupId)
                .rollRows(rollRows)
                .rollBytes(64L << 20)
                .rollInterval(rollInterval)
                .pollTimeout(Duration.ofMillis(100));
    }
}
