package io.fathom.ingest;

import io.fathom.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the ingest application needs besides the definitions; start from {@link #builder()}, whose
 * fields hold the defaults.
 *
 * @param kafka the cluster, and the partitions and replication of the topics ingest creates (snapshots,
 *     re-keyed events, DLQ) and of its changelogs
 * @param applicationId Kafka Streams application id (also the consumer group and the prefix of its topics)
 * @param stateDir where RocksDB keeps the entity state (one sub-directory per application)
 * @param threads stream threads in this instance
 * @param commitInterval how often a transaction commits (latency versus throughput)
 * @param cacheMaxBytes record cache in front of the state stores, across all threads
 */
public record IngestConfig(
        KafkaSettings kafka,
        String applicationId,
        Path stateDir,
        int threads,
        Duration commitInterval,
        long cacheMaxBytes) {

    public IngestConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative, was " + commitInterval);
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
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
                .threads(threads)
                .commitInterval(commitInterval)
                .cacheMaxBytes(cacheMaxBytes);
    }

    /**
     * Kafka Streams properties: {@link KafkaSettings#streamsProperties} (exactly-once v2, replication), RocksDB
     * state under {@link #stateDir}, batching producers.
     */
    public Properties streamsProperties() {
        Properties p = kafka.streamsProperties(applicationId);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        // Tiles do not need records synchronised by timestamp across input partitions: never wait for
        // an empty partition (an entity's own events arrive in order on one partition).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return p;
    }

    /** {@link IngestConfig}'s fields with their defaults (one node); {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private KafkaSettings kafka;
        /** Default {@code fathom-ingest}. */
        private String applicationId = "fathom-ingest";
        /** Required. */
        private Path stateDir;
        /** Default 1. */
        private int threads = 1;
        /** Default 100 ms: snapshots reach the stores about this long after their event. */
        private Duration commitInterval = Duration.ofMillis(100);
        /** Default 64 MiB. */
        private long cacheMaxBytes = 64L << 20;

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

        public Builder threads(int count) {
            this.threads = count;
            return this;
        }

        public Builder commitInterval(Duration interval) {
            this.commitInterval = interval;
            return this;
        }

        public Builder cacheMaxBytes(long bytes) {
            this.cacheMaxBytes = bytes;
            return this;
        }

        public IngestConfig build() {
            return new IngestConfig(kafka, applicationId, stateDir, threads, commitInterval, cacheMaxBytes);
        }
    }
}
