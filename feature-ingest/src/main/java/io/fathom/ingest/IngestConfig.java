package io.fathom.ingest;

import io.fathom.core.WatermarkTracker;
import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the ingest application needs besides the definitions; start from {@link #builder()}, preset
 * with the defaults below (one node).
 *
 * @param kafka the cluster, and the partitions and replication of the topics ingest creates (snapshots,
 *     re-keyed events, DLQ) and of its changelogs; required
 * @param applicationId Kafka Streams application id (also the consumer group and the prefix of its topics);
 *     default {@code fathom-ingest}
 * @param stateDir where RocksDB keeps the entity state (one sub-directory per application); required
 * @param threads stream threads in this instance; default 1
 * @param commitInterval how often a transaction commits (latency versus throughput); default 50 ms: a snapshot
 *     can be read (read_committed: the online and offline writers, the monitor) once its transaction commits, so an
 *     event waits up to this long plus a commit's own time; each commit costs a few round trips to the broker
 *     during which the stream thread processes nothing (benchmarks/README.md, "Freshness")
 * @param cacheMaxBytes entity states kept in memory in front of RocksDB, per view, across the view's tasks (changed
 *     ones written at each commit); also Kafka Streams' record cache of the other stores, across all threads;
 *     default 64 MiB
 * @param idleTimeout how long a source partition may send nothing before the watermark leaves it out (DESIGN,
 *     "Watermark"); positive; default {@link WatermarkTracker#DEFAULT_IDLE_TIMEOUT}, a minute
 */
@RecordBuilder
public record IngestConfig(
        KafkaSettings kafka,
        String applicationId,
        Path stateDir,
        int threads,
        Duration commitInterval,
        long cacheMaxBytes,
        Duration idleTimeout) {

    /** The default {@link #commitInterval}: see its documentation. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(50);

    /** The default {@link #cacheMaxBytes}: 64 MiB. */
    public static final long DEFAULT_CACHE_MAX_BYTES = 64L << 20;

    public IngestConfig {
        RecordComponents.requireNonNull(
                IngestConfig.class,
                kafka,
                applicationId,
                stateDir,
                threads,
                commitInterval,
                cacheMaxBytes,
                idleTimeout);
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commitInterval must not be negative, was " + commitInterval);
        }
        if (cacheMaxBytes < 0) {
            throw new IllegalArgumentException("cacheMaxBytes must be >= 0, was " + cacheMaxBytes);
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
    }

    /** A builder preset with the defaults; {@code kafka} and {@code stateDir} are required. */
    public static IngestConfigBuilder builder() {
        return IngestConfigBuilder.builder()
                .applicationId("fathom-ingest")
                .threads(1)
                .commitInterval(DEFAULT_COMMIT_INTERVAL)
                .cacheMaxBytes(DEFAULT_CACHE_MAX_BYTES)
                .idleTimeout(WatermarkTracker.DEFAULT_IDLE_TIMEOUT);
    }

    public IngestConfigBuilder toBuilder() {
        return IngestConfigBuilder.builder(this);
    }

    /**
     * Kafka Streams properties: {@link KafkaSettings#streamsProperties} (exactly-once v2, replication, batching
     * producers), RocksDB state under {@link #stateDir}.
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
        return p;
    }
}
