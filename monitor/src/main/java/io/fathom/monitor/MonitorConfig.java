package io.fathom.monitor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the monitoring application needs besides the definitions.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id (consumer group, prefix of its internal topics)
 * @param stateDir where RocksDB keeps windows and alert states
 * @param topics the topics it reads and writes
 * @param partitions partitions of the topics it creates
 * @param replicationFactor replication of the topics it creates and of its changelogs
 * @param commitInterval how often a transaction commits
 */
public record MonitorConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        MonitorTopics topics,
        int partitions,
        short replicationFactor,
        Duration commitInterval) {

    public MonitorConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
        }
    }

    /** Defaults for a single node: application {@code fathom-monitor}, default topics, 1 partition, 100 ms commits. */
    public static MonitorConfig defaults(String bootstrapServers, Path stateDir) {
        return new MonitorConfig(
                bootstrapServers,
                "fathom-monitor",
                stateDir,
                MonitorTopics.defaults(),
                1,
                (short) 1,
                Duration.ofMillis(100));
    }

    public MonitorConfig withApplicationId(String id) {
        return new MonitorConfig(bootstrapServers, id, stateDir, topics, partitions, replicationFactor, commitInterval);
    }

    public MonitorConfig withTopics(MonitorTopics value) {
        return new MonitorConfig(
                bootstrapServers, applicationId, stateDir, value, partitions, replicationFactor, commitInterval);
    }

    /** Kafka Streams properties: exactly-once v2, RocksDB state under {@link #stateDir}. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // windows close on each view's own event-time clock: never wait for an idle input partition
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        return p;
    }
}
