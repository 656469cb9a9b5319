package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaConfig;
import io.fathom.embedded.ListenerSecurity;
import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestException;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.Brokers;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSecurity.Sasl;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.Topics;
import io.fathom.kafka.Worker;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.ConsoleCapture;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.TestCertificates;
import io.fathom.testkit.TestProducer;
import io.fathom.testkit.TlsRedisServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole online path secured: an in-JVM broker whose client listener takes only SASL_SSL with SCRAM-SHA-512
 * (a certificate of a private CA made at test time, the user created over the broker's own plain-text
 * listener), a {@code redis-server} that takes only TLS and an ACL user. Events are produced through the secured
 * listener, ingest and the online writer read and write through it with {@link KafkaSettings}'s security, and
 * every user reads its count from Redis. A wrong password fails at start, saying so. Nothing printed in the
 * meantime — the components' logs included — holds a password.
 */
class SecureKafkaIT {
    private static final String USER = "fathom";
    private static final int USERS = 20;
    private static final int EVENTS = 400;

    @TempDir
    Path dir;

    private final String kafkaPassword = "kafka-pw-" + Long.toHexString(System.nanoTime());

    @Test
    void ingestAndTheOnlineWriterWorkThroughSaslSslAndRedisTls() {
        ConsoleCapture console = new ConsoleCapture();
        TestCertificates certs = TestCertificates.create(dir.resolve("kafka-certs"));
        List<String> secrets = new ArrayList<>(List.of(kafkaPassword, certs.password()));
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                        .security(ListenerSecurity.builder()
                                .protocol(SecurityProtocol.SASL_SSL)
                                .saslMechanism(SaslMechanism.SCRAM_SHA_512)
                                .users(Map.of(USER, kafkaPassword))
                                .keyStore(Store.of(certs.serverKeyStore(), StoreType.PKCS12, certs.password()))
                                .build())
                        .build());
                TlsRedisServer redis = new TlsRedisServer(dir.resolve("redis"))) {
            secrets.add(redis.password());
            secrets.add(redis.certificates().password());
            KafkaSettings kafka = secured(broker, certs, kafkaPassword);
            runsThePipeline(kafka, redis);
            wrongPasswordsFailAtStartSayingSo(secured(broker, certs, "wrong-" + kafkaPassword), redis);
            assertThat(kafka.toString()).contains(USER).doesNotContain(kafkaPassword);
        } finally {
            console.close();
        }
        String log = console.text();
        assertThat(log).contains("In-JVM Kafka broker at"); // the capture saw the components' logs
        assertThat(secrets).allSatisfy(secret -> assertThat(log).doesNotContain(secret));
    }

    private void runsThePipeline(KafkaSettings kafka, TlsRedisServer redis) {
        String topic = "secure-events";
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Topics.create(admin, 2, topic);
        }
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .transactions(topic, EventFormat.JSON)
                .view(Definitions.view("secure_txn").count("txn_count_1d", Duration.ofDays(1)))
                .build();
        long now = System.currentTimeMillis();
        Map<String, Integer> expected = new TreeMap<>();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            int user = i % USERS;
            expected.merge(Integer.toString(user), 1, Integer::sum);
            String json = "{\"user_id\": " + user + ", \"amount\": 1.5, \"country\": \"FR\", \"event_time\": "
                    + (now - 60_000 + i) + "}";
            records.add(new ProducerRecord<>(topic, Integer.toString(user), json.getBytes(StandardCharsets.UTF_8)));
        }
        try (TestProducer<String, byte[]> producer =
                TestProducer.create(kafka.producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }

        try (RedisOnlineStore store =
                        RedisOnlineStore.create(RedisTlsIT.connection(redis), OnlineStore.ttlByView(definitions));
                StreamsApp ingest = IngestService.start(
                        definitions,
                        ingestConfig(kafka, "secure-ingest"),
                        Clock.systemUTC(),
                        new SimpleMeterRegistry());
                OnlineWriter writer =
                        OnlineWriters.start(store, kafka, "secure-writer", List.of("secure_txn"), Clock.systemUTC())) {
            OnlineFeatureReader reader = new OnlineFeatureReader(definitions, store, Clock.systemUTC());
            List<Object> users = new ArrayList<>(expected.keySet());
            await("every user's count in Redis")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        assertThat(writer.state()).isEqualTo(Worker.State.RUNNING);
                        OnlineResult result = reader.read(List.of("secure_txn:txn_count_1d"), Map.of("user_id", users));
                        Map<String, Object> counts = new TreeMap<>();
                        result.results()
                                .forEach(row -> counts.put(
                                        String.valueOf(row.entity().get("user_id")),
                                        row.values().get(0)));
                        Map<String, Object> want = new TreeMap<>();
                        expected.forEach((user, count) -> want.put(user, (long) count));
                        assertThat(counts).isEqualTo(want);
                    });
        }
    }

    private void wrongPasswordsFailAtStartSayingSo(KafkaSettings wrong, TlsRedisServer redis) {
        String password = wrong.security().sasl().orElseThrow().password();
        assertThatThrownBy(() -> Brokers.checkAccess(wrong, Duration.ofSeconds(30)))
                .isInstanceOf(FathomKafkaException.class)
                .hasMessageContaining("SASL_SSL (SCRAM-SHA-512 as user \"fathom\") refused the client")
                .hasMessageContaining("SASL authentication failed (check the user name, password and mechanism)")
                .message()
                .doesNotContain(password);
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .transactions("secure-events", EventFormat.JSON)
                .view(Definitions.view("secure_txn").count("txn_count_1d", Duration.ofDays(1)))
                .build();
        assertThatThrownBy(() -> IngestService.start(
                        definitions, ingestConfig(wrong, "wrong-ingest"), Clock.systemUTC(), new SimpleMeterRegistry()))
                .isInstanceOf(IngestException.class)
                .hasMessageContaining("SASL authentication failed")
                .message()
                .doesNotContain(password);
        try (RedisOnlineStore store =
                        RedisOnlineStore.create(RedisTlsIT.connection(redis), OnlineStore.ttlByView(definitions));
                OnlineWriter writer =
                        OnlineWriters.start(store, wrong, "wrong-writer", List.of("secure_txn"), Clock.systemUTC())) {
            await("the writer with the wrong password stopped")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> writer.state() == Worker.State.FAILED);
            assertThat(writer.failure()).containsInstanceOf(SaslAuthenticationException.class);
        }
    }

    private IngestConfig ingestConfig(KafkaSettings kafka, String applicationId) {
        return IngestConfig.builder()
                .kafka(kafka.toBuilder().partitions(2).build())
                .stateDir(dir.resolve(applicationId))
                .applicationId(applicationId)
                .build();
    }

    private static KafkaSettings secured(EmbeddedKafka broker, TestCertificates certs, String password) {
        return KafkaSettings.builder()
                .bootstrapServers(broker.bootstrapServers())
                .security(KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SASL_SSL)
                        .sasl(Sasl.of(SaslMechanism.SCRAM_SHA_512, USER, password))
                        .trustStore(Store.of(certs.trustStore(), StoreType.PKCS12, certs.password()))
                        .build())
                .build();
    }
}
