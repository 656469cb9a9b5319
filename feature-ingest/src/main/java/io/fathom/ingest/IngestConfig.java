package io.fathom.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the ingest application needs besides the definitions.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param applicationId Kafka Streams application id (also the consumer group and the prefix of its topics)
 * @param stateDir where RocksDB keeps the entity state (one sub-directory per application)
 * @param partitions partitions of the topics ingest creates (snapshots, re-keyed events, DLQ)
 * @param replicationFactor replication of the topics ingest creates and of its changelogs
 * @param threads stream threads in this instance
 * @param commitInterval how often a transaction commits (latency versus throughput)
 * @param cacheMaxBytes record cache in front of the state stores, across all threads
 */
public record IngestConfig(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        int partitions,
        short replicationFactor,
        int threads,
        Duration commitInterval,
        long cacheMaxBytes) {

    public IngestConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(commitInterval, "commitInterval");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1, was " + replicationFactor);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
    }

    /** Defaults for a single node: 4 partitions, replication 1, one thread, 100 ms commits, 64 MiB cache. */
    public static IngestConfig defaults(String bootstrapServers, Path stateDir) {
        return new IngestConfig(
                bootstrapServers, "fathom-ingest", stateDir, 4, (short) 1, 1, Duration.ofMillis(100), 64L << 20);
    }

    public IngestConfig withApplicationId(String id) {
        return new IngestConfig(
                bootstrapServers, id, stateDir, partitions, replicationFactor, threads, commitInterval, cacheMaxBytes);
    }

    public IngestConfig withPartitions(int count) {
        return new IngestConfig(
                bootstrapServers,
                applicationId,
                stateDir,
                count,
                replicationFactor,
                threads,
                commitInterval,
                cacheMaxBytes);
    }

    public IngestConfig withCommitInterval(Duration interval) {
        return new IngestConfig(
                bootstrapServers,
                applicationId,
                stateDir,
                partitions,
                replicationFactor,
                threads,
                interval,
                cacheMaxBytes);
    }

    /** Kafka Streams properties: exactly-once v2, RocksDB state under {@link #stateDir}, batching producers. */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // Tiles do not need records synchronised by timestamp across input partitions: never wait for
        // an empty partition (an entity's own events arrive in order on one partition).
        p.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        return p;
    }
}
