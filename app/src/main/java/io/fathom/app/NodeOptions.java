package io.fathom.app;

import io.fathom.monitor.delivery.WebhookEndpoint;
import io.fathom.schemas.FeatureDefinitions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one Fathom process runs and against what.
 *
 * @param definitions the validated feature definitions
 * @param bootstrapServers Kafka
 * @param dataDir local state: ingest's RocksDB state, and the RocksDB online store when no Redis is given
 * @param redisUri the Redis online store ({@code redis://host:port}, {@code redis-cluster://...}); empty
 *     for the embedded RocksDB store
 * @param offlineRoot the offline store's Hadoop FileSystem URI ({@code file:///...}, {@code hdfs://...}, {@code s3a://...})
 * @param offlineRoll how much event time one offline Parquet file spans at most before it is committed
 * @param httpHost the address the API listens on ({@code 127.0.0.1} for this machine only, {@code 0.0.0.0} for all)
 * @param httpPort the API's port (0 picks a free one)
 * @param partitions partitions of the topics ingest creates
 * @param webhooks where the alert dispatcher delivers alerts
 * @param components what to run
 */
public record NodeOptions(
        FeatureDefinitions definitions,
        String bootstrapServers,
        Path dataDir,
        Optional<String> redisUri,
        String offlineRoot,
        Duration offlineRoll,
        String httpHost,
        int httpPort,
        int partitions,
        List<WebhookEndpoint> webhooks,
        Set<Component> components) {
    public NodeOptions {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(offlineRoot, "offlineRoot");
        Objects.requireNonNull(offlineRoll, "offlineRoll");
        Objects.requireNonNull(httpHost, "httpHost");
        webhooks = List.copyOf(webhooks);
        components = components.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(components);
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("httpPort must be in [0, 65535], was " + httpPort);
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
    }
}
