package io.fathom.monitor;

import io.fathom.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the monitoring application needs besides the definitions; start from {@link #builder()},
 * whose fields hold the defaults.
 *
 * @param kafka the cluster, and the partitions and replication of the topics it creates and of its
 *     changelogs
 * @param applicationId Kafka Streams application id (consumer group, prefix of its internal topics)
 * @param stateDir where RocksDB keeps windows and alert states
 * @param topics the topics it reads and writes
 * @param commitInterval how often a transaction commits
 */
public record MonitorConfig(
        KafkaSettings kafka, String applicationId, Path stateDir, MonitorTopics topics, Duration commitInterval) {

    public MonitorConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative, was " + commitInterval);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .kafka(kafka)
                .applicationId(applicationId)
                .stateDir(stateDir)
                .topics(topics)
                .commitInterval(commitInterval);
    }

    /**
     * Kafka Streams properties: {@link KafkaSettings#streamsProperties} (exactly-once v2, replication), RocksDB
     * state under {@link #stateDir}.
     */
    public Properties streamsProperties() {
        Properties p = kafka.streamsProperties(applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        // windows close on each view's own event-time clock: never wait for an idle input partition
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        return p;
    }

    /** {@link MonitorConfig}'s fields with their defaults (one node); {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private KafkaSettings kafka;
        /** Default {@code fathom-monitor}. */
        private String applicationId = "fathom-monitor";
        /** Required. */
        private Path stateDir;
        /** Default {@link MonitorTopics#defaults()}. */
        private MonitorTopics topics = MonitorTopics.defaults();
        /** Default 100 ms. */
        private Duration commitInterval = Duration.ofMillis(100);

        private Builder() {}

        public Builder kafka(KafkaSettings settings) {
            this.kafka = settings;
            return this;
        }

        public Builder applicationId(String id) {
            this.applicationId = id;
            return this;
        }

        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        public Builder topics(MonitorTopics names) {
            this.topics = names;
            return this;
        }

        public Builder commitInterval(Duration interval) {
            this.commitInterval = interval;
            return this;
        }

        public MonitorConfig build() {
            return new MonitorConfig(kafka, applicationId, stateDir, topics, commitInterval);
        }
    }
}
