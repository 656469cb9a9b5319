package io.fathom.monitor;

import io.fathom.core.WatermarkTracker;
import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the monitoring application needs besides the definitions; start from {@link #builder()},
 * preset with the defaults below (one node).
 *
 * @param kafka the cluster, and the partitions and replication of the topics it creates and of its
 *     changelogs; required
 * @param applicationId Kafka Streams application id (consumer group, prefix of its internal topics); default
 *     {@code fathom-monitor}
 * @param stateDir where RocksDB keeps windows and alert states; required
 * @param topics the topics it reads and writes; default {@link MonitorTopics#defaults()}
 * @param commitInterval how often a transaction commits; default 100 ms
 * @param idleTimeout how long a snapshot partition may send nothing before a view's watermark leaves it out;
 *     positive; default {@link WatermarkTracker#DEFAULT_IDLE_TIMEOUT}, a minute
 */
@RecordBuilder
public record MonitorConfig(
        KafkaSettings kafka,
        String applicationId,
        Path stateDir,
        MonitorTopics topics,
        Duration commitInterval,
        Duration idleTimeout) {

    public MonitorConfig {
        RecordComponents.requireNonNull(
                MonitorConfig.class, kafka, applicationId, stateDir, topics, commitInterval, idleTimeout);
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative, was " + commitInterval);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
    }

    /** A builder preset with the defaults; {@code kafka} and {@code stateDir} are required. */
    public static MonitorConfigBuilder builder() {
        return MonitorConfigBuilder.builder()
                .applicationId("fathom-monitor")
                .topics(MonitorTopics.defaults())
                .commitInterval(Duration.ofMillis(100))
                .idleTimeout(WatermarkTracker.DEFAULT_IDLE_TIMEOUT);
    }

    public MonitorConfigBuilder toBuilder() {
        return MonitorConfigBuilder.builder(this);
    }

    /**
     * Kafka Streams properties: {@link KafkaSettings#streamsProperties} (exactly-once v2, replication, batching
     * producers), RocksDB state under {@link #stateDir}.
     */
    public Properties streamsProperties() {
        Properties p = kafka.streamsProperties(applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        // windows close on each view's own event-time clock: never wait for an idle input partition
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        return p;
    }
}
