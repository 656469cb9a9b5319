package io.fathom.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.app.ExamplesAccess;
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

        RunConfig config = RunConfigLoader.load(file, Map.of());

        assertThat(config.definitions()).isEqualTo(ExamplesAccess.definitionsFile());
        assertThat(config.bootstrapServers()).isEqualTo("broker-1:9092,broker-2:9092");
        assertThat(config.partitions()).isEqualTo(4);
        assertThat(config.redisUri()).contains("redis://cache:6379");
        assertThat(config.dataDir()).isEqualTo(dir.resolve("fathom-data"));
        assertThat(config.httpHost()).isEqualTo("0.0.0.0");
        assertThat(config.httpPort()).isEqualTo(8080);
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

        RunConfig config = RunConfigLoader.load(
                file,
                Map.of(
                        "FATHOM_KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                        "FATHOM_ONLINE_REDIS", "",
                        "FATHOM_HTTP_PORT", "9090",
                        "FATHOM_DATA_DIR", "/data"));

        assertThat(config.bootstrapServers()).isEqualTo("kafka:29092");
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
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("extra: unknown key"))
                        .anySatisfy(p -> assertThat(p).startsWith("kafka.acks: unknown key"))
                        .anySatisfy(p -> assertThat(p).startsWith("definitions: \"missing.yaml\" not found"))
                        .anySatisfy(p ->
                                assertThat(p).isEqualTo("kafka.bootstrap_servers: \"nohostport\" is not host:port"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("kafka.partitions: 0 is out of range [1, 10000]"))
                        .anySatisfy(
                                p -> assertThat(p).startsWith("online.redis: \"http://cache:6379\" is not a redis://"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("http.port: \"eighty\" is not a whole number"))
                        .hasSize(7));
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
