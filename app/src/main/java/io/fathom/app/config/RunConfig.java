package io.fathom.app.config;

import io.fathom.monitor.delivery.WebhookEndpoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of {@code fathom run}, read from YAML by {@link RunConfigLoader} (environment
 * variables override the file; see there).
 *
 * @param definitions the feature-definitions file
 * @param bootstrapServers Kafka bootstrap servers
 * @param partitions partitions of the topics Fathom creates
 * @param redisUri the Redis online store; empty for the embedded RocksDB store under dataDir
 * @param offlineRoot the offline store: a Hadoop FileSystem URI (file://, hdfs://, s3a://)
 * @param dataDir local state (ingest's RocksDB state; the RocksDB online store)
 * @param webhooks where the alert dispatcher delivers alerts
 * @param httpHost the address the API listens on
 * @param httpPort the API port
 */
public record RunConfig(
        Path definitions,
        String bootstrapServers,
        int partitions,
        Optional<String> redisUri,
        String offlineRoot,
        Path dataDir,
        List<WebhookEndpoint> webhooks,
        String httpHost,
        int httpPort) {
    public RunConfig {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(redisUri, "redisUri");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(httpHost, "httpHost");
        webhooks = List.copyOf(webhooks);
    }
}
