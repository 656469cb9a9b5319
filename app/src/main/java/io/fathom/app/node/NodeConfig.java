package io.fathom.app.node;

import io.fathom.app.http.ApiAuth;
import io.fathom.app.http.HttpOptions;
import io.fathom.app.http.TlsConfig;
import io.fathom.core.WatermarkTracker;
import io.fathom.ingest.IngestConfig;
import io.fathom.kafka.KafkaSettings;
import io.fathom.monitor.delivery.WebhookEndpoint;
import io.fathom.online.RedisConnection;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.RecordComponents;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one Fathom process runs and against what: the one configuration model of {@code fathom run}
 * (read from YAML and the environment by {@code config.RunConfigLoader}) and {@code fathom demo}
 * (built from its options). Build it with {@link #builder()}, preset with the defaults below; the
 * definitions, Kafka and the offline root are required.
 *
 * @param definitions the validated feature definitions
 * @param kafka how every Kafka client of the process connects, and the partitions of the topics it creates
 * @param dataDir local state: ingest's RocksDB state, and the RocksDB online store when no Redis is given;
 *     default {@code fathom-data}
 * @param redis the Redis online store and how to reach it ({@code redis://host:port}, {@code
 *     rediss://user:password@host:port} with a trust store, {@code redis-cluster://...}); empty (the default)
 *     for the embedded RocksDB store under {@code dataDir}. Its {@code toString} hides the password
 * @param offlineRoot the offline store's Hadoop FileSystem URI ({@code file:///...}, {@code hdfs://...},
 *     {@code s3a://...}); where a configuration names none, {@link #offlineRootUnder(Path)} the data directory
 * @param offlineRoll how much event time one offline Parquet file spans at most before it is committed;
 *     default 5 minutes
 * @param ingestCommitInterval how often ingest commits its transaction, so how long after its event a snapshot
 *     can be read at the soonest (latency versus throughput); default {@link IngestConfig#DEFAULT_COMMIT_INTERVAL}
 * @param watermarkIdleTimeout how long a partition may send nothing before ingest's watermark (over a source
 *     topic's partitions) and the monitor's (over a snapshot topic's) leave it out; positive; default a minute
 * @param httpHost the address the API listens on ({@code 127.0.0.1} for this machine only, {@code 0.0.0.0}
 *     for all); default {@code 0.0.0.0}
 * @param httpPort the API's port (0 picks a free one); default 8080
 * @param auth who may use the API: bearer tokens with scopes; default {@link ApiAuth#none()}, open to anyone
 * @param tls the API's TLS key and certificate (it then answers HTTPS only); default none, plain HTTP
 * @param webhooks where the alert dispatcher delivers alerts; default none
 * @param createSourceTopics whether the process creates the source topics it reads that do not exist yet (the
 *     events of every source, the bias monitors' predictions and labels), with {@code kafka}'s partitions and the
 *     broker's default retention; default {@code false}: ingest and the monitor wait for them (saying which)
 * @param components what to run; default all of them
 */
@RecordBuilder
public record NodeConfig(
        FeatureDefinitions definitions,
        KafkaSettings kafka,
        Path dataDir,
        Optional<RedisConnection> redis,
        String offlineRoot,
        Duration offlineRoll,
        Duration ingestCommitInterval,
        Duration watermarkIdleTimeout,
        String httpHost,
        int httpPort,
        ApiAuth auth,
        Optional<TlsConfig> tls,
        List<WebhookEndpoint> webhooks,
        boolean createSourceTopics,
        Set<Component> components) {
    public NodeConfig {
        RecordComponents.requireNonNull(
                NodeConfig.class,
                definitions,
                kafka,
                dataDir,
                redis,
                offlineRoot,
                offlineRoll,
                ingestCommitInterval,
                watermarkIdleTimeout,
                httpHost,
                httpPort,
                auth,
                tls,
                webhooks,
                createSourceTopics,
                components);
        webhooks = List.copyOf(webhooks);
        components = components.isEmpty() ? EnumSet.noneOf(Component.class) : EnumSet.copyOf(components);
        if (httpPort < 0 || httpPort > 65_535) {
            throw new IllegalArgumentException("httpPort must be in [0, 65535], was " + httpPort);
        }
        if (offlineRoll.isNegative() || offlineRoll.isZero()) {
            throw new IllegalArgumentException("offlineRoll must be positive, was " + offlineRoll);
        }
        if (ingestCommitInterval.isNegative()) {
            throw new IllegalArgumentException(
                    "ingestCommitInterval must not be negative, was " + ingestCommitInterval);
        }
        if (watermarkIdleTimeout.isNegative() || watermarkIdleTimeout.isZero()) {
            throw new IllegalArgumentException("watermarkIdleTimeout must be positive, was " + watermarkIdleTimeout);
        }
    }

    /** The default {@link #offlineRoll}: 5 minutes. */
    public static final Duration DEFAULT_OFFLINE_ROLL = Duration.ofMinutes(5);

    /** A builder preset with the defaults; {@code definitions}, {@code kafka} and {@code offlineRoot} are required. */
    public static NodeConfigBuilder builder() {
        return NodeConfigBuilder.builder()
                .dataDir(Path.of("fathom-data"))
                .redis(Optional.empty())
                .offlineRoll(DEFAULT_OFFLINE_ROLL)
                .ingestCommitInterval(IngestConfig.DEFAULT_COMMIT_INTERVAL)
                .watermarkIdleTimeout(WatermarkTracker.DEFAULT_IDLE_TIMEOUT)
                .httpHost("0.0.0.0")
                .httpPort(8080)
                .auth(ApiAuth.none())
                .tls(Optional.empty())
                .webhooks(List.of())
                .createSourceTopics(false)
                .components(EnumSet.allOf(Component.class));
    }

    public NodeConfigBuilder toBuilder() {
        return NodeConfigBuilder.builder(this);
    }

    /** How the API listens: host, port, tokens, TLS. */
    public HttpOptions http() {
        return new HttpOptions(httpHost, httpPort, auth, tls);
    }

    /** The offline root of a configuration that names none: {@code <dataDir>/offline}, as a {@code file:} URI. */
    public static String offlineRootUnder(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("offline").toUri().toString();
    }
}
