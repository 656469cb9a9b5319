package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaConfig;
import io.fathom.embedded.ListenerSecurity;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import io.fathom.testkit.ConsoleCapture;
import io.fathom.testkit.TestCertificates;
import io.fathom.testkit.TlsRedisServer;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fathom run} as a deployment runs it, with every connection secured: the configuration file names a
 * SASL_SSL (SCRAM-SHA-512) broker with its CA's trust store and a TLS Redis with an ACL user, passwords
 * inline. Ingest, the online writer and the API become ready through them; and nothing the run printed — the
 * console, {@code fathom.log} with every library's INFO lines (Kafka's client configurations among them) —
 * holds a password. The same run with a wrong Kafka or Redis password stops at start, saying why in one line.
 */
class SecureRunIT {
    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final String kafkaPassword = "kafka-run-pw-" + Long.toHexString(System.nanoTime());

    @Test
    void runsSecuredAndPrintsNoSecret() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("kafka-certs"));
        try (ConsoleCapture console = new ConsoleCapture();
                EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                        .security(ListenerSecurity.builder()
                                .protocol(SecurityProtocol.SASL_SSL)
                                .saslMechanism(SaslMechanism.SCRAM_SHA_512)
                                .users(Map.of("fathom", kafkaPassword))
                                .keyStore(Store.of(certs.serverKeyStore(), StoreType.PKCS12, certs.password()))
                                .build())
                        .build());
                TlsRedisServer redis = new TlsRedisServer(dir.resolve("redis"))) {
            broker.createTopics(4, "transactions");
            List<String> secrets = List.of(kafkaPassword, certs.password(), redis.password());

            StringWriter runConsole = new StringWriter();
            AtomicReference<RunCommand> run = new AtomicReference<>();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            Future<Integer> exit = runner.submit(() -> RunCli.cli(run, runConsole)
                    .execute(
                            "run",
                            "--config",
                            config("good", broker, certs, kafkaPassword, redis).toString(),
                            "--components",
                            "ingest,online-writer,api"));
            int exitCode;
            try {
                int port = await("fathom run prints its API port")
                        .atMost(Duration.ofSeconds(120))
                        .until(() -> RunCli.apiPort(runConsole.toString(), exit), p -> p > 0);
                URI readyz = URI.create("http://127.0.0.1:" + port + "/readyz");
                await("ingest RUNNING and the writer applying, through SASL_SSL and Redis TLS (GET /readyz)")
                        .atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() ->
                                http.send(HttpRequest.newBuilder(readyz).build(), HttpResponse.BodyHandlers.ofString())
                                                .statusCode()
                                        == 200);
            } finally {
                run.get().stop();
                exitCode = exit.get(90, TimeUnit.SECONDS);
                runner.shutdownNow();
            }
            assertThat(exitCode).as("fathom run's console:%n%s", runConsole).isZero();
            String fathomLog = Files.readString(dir.resolve("good/data/fathom.log"));
            // the log holds the Kafka clients' configurations, their secrets hidden by Kafka itself
            assertThat(fathomLog).contains("sasl.jaas.config = [hidden]");
            assertThat(List.of(fathomLog, runConsole.toString(), console.text()))
                    .allSatisfy(text -> assertThat(secrets)
                            .allSatisfy(secret -> assertThat(text).doesNotContain(secret)));

            StringWriter wrongConsole = new StringWriter();
            String wrongPassword = "wrong-" + kafkaPassword;
            int wrongExit = RunCli.cli(new AtomicReference<>(), wrongConsole)
                    .execute(
                            "run",
                            "--config",
                            config("wrong", broker, certs, wrongPassword, redis).toString(),
                            "--components",
                            "ingest,online-writer");
            assertThat(wrongExit)
                    .as("a wrong password's run; its console:%n%s", wrongConsole)
                    .isNotZero();
            assertThat(wrongConsole.toString())
                    .contains("fathom run: cannot start: ")
                    .contains("SASL_SSL (SCRAM-SHA-512 as user \"fathom\") refused the client: SASL authentication"
                            + " failed (check the user name, password and mechanism)")
                    .doesNotContain("\tat ")
                    .doesNotContain(wrongPassword);

            StringWriter wrongRedisConsole = new StringWriter();
            String wrongRedisPassword = "wrong-" + redis.password();
            Path wrongRedis = config("wrong-redis", broker, certs, kafkaPassword, redis);
            Files.writeString(wrongRedis, Files.readString(wrongRedis).replace(redis.password(), wrongRedisPassword));
            int wrongRedisExit = RunCli.cli(new AtomicReference<>(), wrongRedisConsole)
                    .execute("run", "--config", wrongRedis.toString(), "--components", "online-writer,api");
            assertThat(wrongRedisExit)
                    .as("a wrong Redis password's run; its console:%n%s", wrongRedisConsole)
                    .isEqualTo(1);
            assertThat(wrongRedisConsole.toString())
                    .as("said at start, in one line, instead of waiting for Redis")
                    .contains("fathom run: cannot start: ")
                    .contains("Redis refused the credentials")
                    .doesNotContain("\tat ")
                    .doesNotContain(wrongRedisPassword)
                    .doesNotContain(redis.password());
        }
    }

    /** A run configuration in {@code dir/<name>}, passwords inline, stores relative to the file. */
    private Path config(
            String name, EmbeddedKafka broker, TestCertificates certs, String password, TlsRedisServer redis)
            throws Exception {
        Path runDir = Files.createDirectories(dir.resolve(name));
        Files.copy(certs.trustStore(), runDir.resolve("kafka-ca.p12"));
        Files.copy(redis.certificates().caPem(), runDir.resolve("redis-ca.pem"));
        Path config = runDir.resolve("fathom.yaml");
        Files.writeString(
                config,
                "definitions: " + ExamplesAccess.definitionsFile() + "\n"
                        + "kafka:\n"
                        + "  bootstrap_servers: " + broker.bootstrapServers() + "\n"
                        + "  security_protocol: SASL_SSL\n"
                        + "  sasl: {mechanism: SCRAM-SHA-512, username: fathom, password: \"" + password + "\"}\n"
                        + "  ssl: {truststore: kafka-ca.p12, truststore_password: \"" + certs.password() + "\"}\n"
                        + "online:\n"
                        + "  redis: " + redis.uri() + "\n"
                        + "  redis_truststore: redis-ca.pem\n"
                        + "data_dir: data\n"
                        + "http: {host: 127.0.0.1, port: 0}\n");
        return config;
    }
}
