package io.fathom.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.app.ExamplesAccess;
import io.fathom.app.http.ApiToken;
import io.fathom.app.http.Scope;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSecurity.Sasl;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import io.fathom.online.RedisConnection;
import io.fathom.schemas.DefinitionsParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("fathom.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void readsEverySettingWithDefaults() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka:
                  bootstrap_servers: broker-1:9092,broker-2:9092
                online:
                  redis: redis://cache:6379
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(file, Map.of());

        assertThat(config.definitions()).isEqualTo(DefinitionsParser.parse(ExamplesAccess.definitionsFile()));
        assertThat(config.kafka().bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(config.kafka().partitions()).isEqualTo(4);
        assertThat(config.kafka().standbyReplicas()).isZero();
        assertThat(config.redis().map(RedisConnection::uri)).contains("redis://cache:6379");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("fathom-data"));
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.offlineRoot())
                .isEqualTo(dir.resolve("fathom-data/offline").toUri().toString());
        assertThat(config.offlineRoll()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.watermarkIdleTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void ingestsCommitIntervalComesFromTheFileOrTheEnvironment() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092"}
                ingest: {commit_interval: 250ms}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        assertThat(RunConfigLoader.load(file, Map.of()).ingestCommitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(RunConfigLoader.load(file, Map.of("FATHOM_INGEST_COMMIT_INTERVAL", "1s"))
                        .ingestCommitInterval())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(FathomNode.ingestConfig(RunConfigLoader.load(file, Map.of())).commitInterval())
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of("FATHOM_INGEST_COMMIT_INTERVAL", "fast")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "ingest.commit_interval (from FATHOM_INGEST_COMMIT_INTERVAL): \"fast\" is not a"
                                        + " duration (use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H)"));
        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of("FATHOM_INGEST_COMMIT_INTERVAL", "-PT1S")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "ingest.commit_interval (from FATHOM_INGEST_COMMIT_INTERVAL): must not be negative, was"
                                        + " -1s"));
    }

    @Test
    void theWatermarksIdleTimeoutComesFromTheFileOrTheEnvironmentAndReachesIngestAndTheMonitor() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092"}
                watermark: {idle_timeout: 5m}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(file, Map.of());
        assertThat(config.watermarkIdleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(FathomNode.ingestConfig(config).idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(FathomNode.monitorConfig(config).idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RunConfigLoader.load(file, Map.of("FATHOM_WATERMARK_IDLE_TIMEOUT", "30s"))
                        .watermarkIdleTimeout())
                .isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of("FATHOM_WATERMARK_IDLE_TIMEOUT", "0s")))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "watermark.idle_timeout (from FATHOM_WATERMARK_IDLE_TIMEOUT): must be positive, was 0s"));
    }

    @Test
    void theDefinitionsFileIsValidatedWithTheConfiguration() throws IOException {
        Files.writeString(dir.resolve("defs.yaml"), "entities: []\nsources: []\nviews: []\n");
        Path file = write("definitions: defs.yaml\nkafka: {bootstrap_servers: \"localhost:9092\"}\n");

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "definitions: entities: must not be empty",
                                "definitions: sources: must not be empty",
                                "definitions: views: must not be empty"));
    }

    @Test
    void environmentVariablesOverrideTheFile() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092", standby_replicas: 1}
                online: {redis: "redis://localhost:6379"}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(
                file,
                Map.of(
                        "FATHOM_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                        "FATHOM_KAFKA_STANDBY_REPLICAS", "2",
                        "FATHOM_OFFLINE_ROLL_SECONDS", "2",
                        "FATHOM_ONLINE_REDIS", "",
                        "FATHOM_HTTP_PORT", "9090",
                        "FATHOM_DATA_DIR", "/data"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:29092");
        assertThat(config.kafka().standbyReplicas()).isEqualTo(2);
        assertThat(config.offlineRoll()).isEqualTo(Duration.ofSeconds(2));
        assertThat(FathomNode.ingestConfig(config).streamsProperties()).containsEntry("num.standby.replicas", 2);
        assertThat(FathomNode.monitorConfig(config).streamsProperties()).containsEntry("num.standby.replicas", 2);
        assertThat(config.redis()).isEqualTo(Optional.empty());
        assertThat(config.httpPort()).isEqualTo(9090);
        assertThat(config.dataDir()).isEqualTo(Path.of("/data"));
    }

    @Test
    void listsEveryProblemAtOnce() throws IOException {
        Path file = write(
                """
                definitions: missing.yaml
                kafka:
                  bootstrap_servers: "nohostport"
                  partitions: 0
                  standby_replicas: -1
                  acks: all
                online:
                  redis: "http://cache:6379"
                http:
                  port: eighty
                extra: 1
                """);

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "definitions: \"missing.yaml\" not found (resolved to "
                                                + dir.resolve("missing.yaml") + ")",
                                        "kafka.bootstrap_servers: \"nohostport\" is not host:port",
                                        "kafka.partitions: must be at least 1, was 0",
                                        "kafka.standby_replicas: must be at least 0, was -1",
                                        "kafka.acks: unknown key (expected one of bootstrap_servers, partitions, standby_replicas,"
                                                + " create_source_topics,"
                                                + " security_protocol, sasl, ssl)",
                                        "online.redis: \"http://cache:6379\" is not a redis:// (rediss://, redis-cluster://) URI",
                                        "http.port: expected a whole number, got \"eighty\"",
                                        "extra: unknown key (expected one of definitions, kafka, online, offline, ingest, watermark, alerts, data_dir, http)"));
    }

    @Test
    void readsKafkaAndRedisSecurityWithSecretsFromTheFileOrTheEnvironment() throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        for (String name : List.of("kafka-ca.p12", "client.jks", "redis-ca.pem")) {
            Files.writeString(dir.resolve("certs").resolve(name), "");
        }
        Path file = write(
                """
                definitions: %s
                kafka:
                  bootstrap_servers: kafka:9093
                  security_protocol: SASL_SSL
                  sasl: {mechanism: SCRAM-SHA-512, username: fathom, password: inline-sasl-pw}
                  ssl:
                    truststore: certs/kafka-ca.p12
                    keystore: certs/client.jks
                    keystore_password: inline-keystore-pw
                online:
                  redis: rediss://fathom:inline-redis-pw@cache:6380
                  redis_truststore: certs/redis-ca.pem
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(
                file,
                Map.of(
                        "FATHOM_KAFKA_SASL_PASSWORD", "007123", // a secret stays text: not the number 7123
                        "FATHOM_KAFKA_SSL_TRUSTSTORE_PASSWORD", "env-truststore-pw"));

        assertThat(config.kafka().security())
                .isEqualTo(KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SASL_SSL)
                        .sasl(Sasl.of(SaslMechanism.SCRAM_SHA_512, "fathom", "007123"))
                        .trustStore(Store.of(dir.resolve("certs/kafka-ca.p12"), StoreType.PKCS12, "env-truststore-pw"))
                        .keyStore(Store.of(dir.resolve("certs/client.jks"), StoreType.JKS, "inline-keystore-pw"))
                        .build());
        assertThat(config.redis())
                .contains(RedisConnection.builder()
                        .uri("rediss://fathom:inline-redis-pw@cache:6380")
                        .trustStore(dir.resolve("certs/redis-ca.pem"))
                        .build());
        assertThat(config.toString())
                .contains("SCRAM-SHA-512", "rediss://***@cache:6380")
                .doesNotContain("007123")
                .doesNotContain("inline-")
                .doesNotContain("env-truststore-pw");
    }

    @Test
    void securityProblemsAreListedWithoutShowingSecrets() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka:
                  bootstrap_servers: kafka:9093
                  security_protocol: SASL_SSL
                  sasl: {mechanism: GSSAPI, username: fathom, password: [not, a, string-pw]}
                  ssl: {truststore: missing.p12}
                online:
                  redis: "redis:/fathom:redis-pw@cache:6380"
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "kafka.sasl.mechanism: \"GSSAPI\" is not a SASL mechanism (allowed: PLAIN,"
                                        + " SCRAM-SHA-256, SCRAM-SHA-512)",
                                "kafka.sasl.password: expected a non-empty string (the value is a secret: not shown)",
                                "kafka.ssl.truststore: \"missing.p12\" not found (resolved to "
                                        + dir.resolve("missing.p12") + ")",
                                "online.redis: not a Redis URI: redis:/***@cache:6380"));
        Path plainWithStore = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "kafka:9092", ssl: {truststore: fathom.yaml}}
                """
                        .formatted(ExamplesAccess.definitionsFile()));
        assertThatThrownBy(() -> RunConfigLoader.load(plainWithStore, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                "kafka: a trust store is given but the security protocol PLAINTEXT does not use"
                                        + " TLS: use SSL or SASL_SSL"));
    }

    @Test
    void aMisspeltKeyGetsTheNearestAndAnEnvironmentValueItsVariable() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092", partitons: 8}
                htp: {port: 8080}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of("FATHOM_HTTP_PORT", "70000")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(
                                // a value that is not in the file comes first
                                "http.port (from FATHOM_HTTP_PORT): must be at most 65535, was 70000",
                                "kafka.partitons: unknown key (did you mean \"partitions\"?)",
                                "htp: unknown key (did you mean \"http\"?)"));
    }

    @Test
    void webhooksAreReadAndCheckedWithTheirPaths() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092"}
                alerts:
                  webhooks:
                    - {name: local, url: "http://127.0.0.1:9000/hook", format: alertmanager, allow_private: true, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
                    - {name: refused, url: "http://127.0.0.1:9001/hook"}
                    - {name: typo, url: "https://93.184.215.14/hook", formt: json}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p ->
                                assertThat(p).startsWith("alerts.webhooks[1]: ").contains("refused"))
                        .anySatisfy(p -> assertThat(p).startsWith("alerts.webhooks[2].formt: unknown key"))
                        .noneSatisfy(p -> assertThat(p).contains("whsec_"))
                        .hasSize(2));
    }

    @Test
    void requiredSettingsAreNamed() throws IOException {
        Path file = write("http: {port: 8080}\n");

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of()))
                .isInstanceOfSatisfying(
                        InvalidConfigException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(
                                        "definitions: required (the feature-definitions file), or set FATHOM_DEFINITIONS",
                                        "kafka.bootstrap_servers: required (host:port,...), or set FATHOM_KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void tokensComeFromTheEnvironmentOrInlineWithTheirScopes() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092", create_source_topics: true}
                http:
                  auth:
                    tokens:
                      - {name: dashboards, token_env: DASHBOARD_TOKEN, scopes: [features]}
                      - {name: ops, token: "inline-0123456789abcdef", scopes: [admin, baselines]}
                    metrics: admin
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(file, Map.of("DASHBOARD_TOKEN", "from-env-0123456789abcdef"));

        assertThat(config.createSourceTopics()).isTrue();
        assertThat(config.auth().metricsScope()).contains(Scope.ADMIN);
        assertThat(config.auth().tokens())
                .extracting(ApiToken::name, ApiToken::scopes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("dashboards", Set.of(Scope.FEATURES)),
                        org.assertj.core.groups.Tuple.tuple("ops", Set.of(Scope.ADMIN, Scope.BASELINES)));
        assertThat(config.auth().authenticate("Bearer from-env-0123456789abcdef"))
                .map(ApiToken::name)
                .contains("dashboards");
        assertThat(config.auth().authenticate("Bearer inline-0123456789abcdef"))
                .map(ApiToken::name)
                .contains("ops");
        assertThat(config.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void everyAuthAndTlsProblemIsListedWithoutASecret() throws IOException {
        Path file = write(
                """
                definitions: %s
                kafka: {bootstrap_servers: "localhost:9092"}
                http:
                  auth:
                    tokens:
                      - {name: a, token_env: UNSET_TOKEN, scopes: [features]}
                      - {name: b, token: "short-secret", scopes: [features]}
                      - {name: c, token: "long-enough-secret-1", token_env: C_TOKEN, scopes: [read]}
                      - {name: d, token: 123456789012345678, scopes: [admin]}
                      - {name: e, scopes: [admin]}
                    metrics: everyone
                  tls: {cert: missing.crt, keystore: missing.p12}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        assertThatThrownBy(() -> RunConfigLoader.load(file, Map.of("C_TOKEN", "another-long-secret-2")))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.problems())
                            .containsExactly(
                                    "http.auth.tokens[0].token_env: the environment variable UNSET_TOKEN is not set",
                                    "http.auth.tokens[1]: token b is shorter than 16 characters (make one with:"
                                            + " openssl rand -hex 16)",
                                    "http.auth.tokens[2]: give token or token_env, not both",
                                    "http.auth.tokens[2].scopes: \"read\" is not a scope (allowed: features,"
                                            + " historical, baselines, admin)",
                                    "http.auth.tokens[3].token: expected a non-empty string (quote it)",
                                    "http.auth.tokens[4]: missing token_env (the environment variable holding it) or"
                                            + " token",
                                    "http.auth.metrics: \"everyone\" is not open or a scope (allowed: open,"
                                            + " features, historical, baselines, admin)",
                                    "http.tls: give cert and key (PEM) or keystore (PKCS#12), not both");
                    assertThat(String.join("\n", e.problems()))
                            .doesNotContain("short-secret", "long-enough-secret-1", "another-long-secret-2", "1234567");
                });
    }
}
