package io.fathom.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.app.ExamplesAccess;
import io.fathom.app.node.NodeConfig;
import io.fathom.schemas.DefinitionsParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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
        assertThat(config.redisUri()).contains("redis://cache:6379");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("fathom-data"));
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
        assertThat(config.offlineRoot())
                .isEqualTo(dir.resolve("fathom-data/offline").toUri().toString());
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
                kafka: {bootstrap_servers: "localhost:9092"}
                online: {redis: "redis://localhost:6379"}
                """
                        .formatted(ExamplesAccess.definitionsFile()));

        NodeConfig config = RunConfigLoader.load(
                file,
                Map.of(
                        "FATHOM_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                        "FATHOM_ONLINE_REDIS", "",
                        "FATHOM_HTTP_PORT", "9090",
                        "FATHOM_DATA_DIR", "/data"));

        assertThat(config.kafka().bootstrapServers()).isEqualTo("kafka:29092");
        assertThat(config.redisUri()).isEqualTo(Optional.empty());
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
                                        "kafka.acks: unknown key (expected one of bootstrap_servers, partitions)",
                                        "online.redis: \"http://cache:6379\" is not a redis:// (rediss://, redis-cluster://) URI",
                                        "http.port: expected a whole number, got \"eighty\"",
                                        "extra: unknown key (expected one of definitions, kafka, online, offline, alerts, data_dir, http)"));
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
}
