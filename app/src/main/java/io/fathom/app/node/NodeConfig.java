package io.fathom.app.node;

import io.fathom.kafka.KafkaSettings;
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
 * What one Fathom process runs and against what: the one configuration model of {@code fathom run}
 * (read from YAML and the environment by {@code config.RunConfigLoader}) and {@code fathom demo}
 * (built from its options). Build it with {@link #builder()}; every setting but the definitions and
 * Kafka has a default, documented on the builder.
 *
 * @param definitions the validated feature definitions
 * @param kafka how every Kafka client of the process connects, and the partitions of the topics it creates
 * @param dataDir local state: ingest's RocksDB state, and the RocksDB online store when no Redis is given
 * @param redisUri the Redis online store ({@code redis://host:port}, {@code redis-cluster://...}); empty
 *     for the embedded RocksDB store under {@code dataDir}
 * @param offlineRoot the offline store's Hadoop FileSystem URI ({@code file:///...}, {@code hdfs://...},
 *     {@code s3a://...})
 * @param offlineRoll how much event time one offline Parquet file spans at most before it is committed
 * @param httpHost the address the API listens on ({@code 127.0.0.1} for this machine only, {@code 0.0.0.0}
 *     for all)
 * @param httpPort the API's port (0 picks a free one)
 * @param webhooks where the alert dispatcher delivers alerts
 * @param components what to run
 */
public record NodeConfig(
        FeatureDefinitions definitions,
        KafkaSettings kafka,
        Path dataDir,
        Optional<String> redisUri,
        String offlineRoot,
        Duration offlineRoll,
        String httpHost,
        int httpPort,
        List<WebhookEndpoint> webhooks,
        Set<Component> components) {
    public NodeConfig {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(kafka, "kafka");
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
        if (offlineRoll.isNegative() || offlineRoll.isZero()) {
            throw new IllegalArgumentException("offlineRoll must be positive, was " + offlineRoll);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .definitions(definitions)
                .kafka(kafka)
                .dataDir(dataDir)
                .redisUri(redisUri)
                .offlineRoot(offlineRoot)
                .offlineRoll(offlineRoll)
                .httpHost(httpHost)
                .httpPort(httpPort)
                .webhooks(webhooks)
                .components(components);
    }

    /** The defaults of every setting, in one place. */
    public static final class Builder {
        private FeatureDefinitions definitions;
        private KafkaSettings kafka;
        private Path dataDir = Path.of("fathom-data");
        private Optional<String> redisUri = Optional.empty();
        /** Default: {@code <dataDir>/offline}. */
        private String offlineRoot;

        private Duration offlineRoll = Duration.ofMinutes(5);
        private String httpHost = "0.0.0.0";
        private int httpPort = 8080;
        private List<WebhookEndpoint> webhooks = List.of();
        private Set<Component> components = EnumSet.allOf(Component.class);

        private Builder() {}

        public Builder definitions(FeatureDefinitions definitions) {
            this.definitions = definitions;
            return this;
        }

        public Builder kafka(KafkaSettings kafka) {
            this.kafka = kafka;
            return this;
        }

        public Builder dataDir(Path dataDir) {
            this.dataDir = dataDir;
            return this;
        }

        public Builder redisUri(Optional<String> redisUri) {
            this.redisUri = redisUri;
            return this;
        }

        public Builder offlineRoot(String offlineRoot) {
            this.offlineRoot = offlineRoot;
            return this;
        }

        public Builder offlineRoll(Duration offlineRoll) {
            this.offlineRoll = offlineRoll;
            return this;
        }

        public Builder httpHost(String httpHost) {
            this.httpHost = httpHost;
            return this;
        }

        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort;
            return this;
        }

        public Builder webhooks(List<WebhookEndpoint> webhooks) {
            this.webhooks = webhooks;
            return this;
        }

        public Builder components(Set<Component> components) {
            this.components = components;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(
                    definitions,
                    kafka,
                    dataDir,
                    redisUri,
                    offlineRoot != null
                            ? offlineRoot
                            : dataDir.toAbsolutePath()
                                    .resolve("offline")
                                    .toUri()
                                    .toString(),
                    offlineRoll,
                    httpHost,
                    httpPort,
                    webhooks,
                    components);
        }
    }
}
