package io.fathom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaConfig;
import io.fathom.embedded.ListenerSecurity;
import io.fathom.kafka.Brokers;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSecurity.Sasl;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fathom-kafka's {@link KafkaSecurity} against the in-JVM broker with a secured client listener: TLS with the
 * broker's certificate of a private CA (made at test time), and SASL with PLAIN's static users. Records go in
 * and come out through the secured listener with nothing but {@link KafkaSettings}' properties; an unknown CA
 * and a wrong password are refused at once, saying which.
 */
class SecuredBrokerIT {
    @TempDir
    Path dir;

    @Test
    void sslWithThePrivateCasPemCertificate() {
        TestCertificates certs = TestCertificates.create(dir.resolve("certs"));
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                .security(ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .keyStore(Store.of(certs.serverKeyStore(), StoreType.PKCS12, certs.password()))
                        .build())
                .build())) {
            KafkaSettings ssl = sslTrusting(broker, certs.caPem());

            roundTrip(ssl, "ssl-topic");

            TestCertificates other = TestCertificates.create(dir.resolve("other"));
            KafkaSettings untrusted = sslTrusting(broker, other.caPem());
            assertThatThrownBy(() -> Brokers.checkAccess(untrusted, Duration.ofSeconds(30)))
                    .isInstanceOf(FathomKafkaException.class)
                    .hasMessageContaining(broker.bootstrapServers() + ", SSL refused the client")
                    .hasMessageContaining("the TLS handshake failed");
            KafkaSettings plain = settings(broker, KafkaSecurity.plaintext());
            // plain text against a TLS listener is no refusal, just no answer: the check leaves it to the components
            Brokers.checkAccess(plain, Duration.ofMillis(500));
        }
    }

    @Test
    void saslPlaintextWithPlainUsers() {
        String password = "plain-pw-" + System.nanoTime();
        try (EmbeddedKafka broker = EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                .security(ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SASL_PLAINTEXT)
                        .saslMechanism(SaslMechanism.PLAIN)
                        .users(Map.of("alice", password))
                        .build())
                .build())) {
            roundTrip(settings(broker, sasl("alice", password)), "sasl-topic");

            KafkaSettings wrong = settings(broker, sasl("alice", "not-" + password));
            assertThatThrownBy(() -> Brokers.checkAccess(wrong, Duration.ofSeconds(30)))
                    .isInstanceOf(FathomKafkaException.class)
                    .hasMessageContaining("SASL_PLAINTEXT (PLAIN as user \"alice\") refused the client")
                    .hasMessageContaining("SASL authentication failed")
                    .message()
                    .doesNotContain(password);
            try (Admin admin = Admin.create(wrong.adminProperties())) {
                assertThatThrownBy(() -> Topics.create(admin, 1, "never-created"))
                        .isInstanceOf(FathomKafkaException.class)
                        .hasMessageContaining("could not create topic never-created: SASL authentication failed");
            }
        }
    }

    private static KafkaSecurity sasl(String user, String password) {
        return KafkaSecurity.builder()
                .protocol(SecurityProtocol.SASL_PLAINTEXT)
                .sasl(Sasl.of(SaslMechanism.PLAIN, user, password))
                .build();
    }

    /** SSL to the broker, trusting the CA in the PEM file. */
    private static KafkaSettings sslTrusting(EmbeddedKafka broker, Path caPem) {
        return settings(
                broker,
                KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .trustStore(Store.pem(caPem))
                        .build());
    }

    private static KafkaSettings settings(EmbeddedKafka broker, KafkaSecurity security) {
        return KafkaSettings.builder()
                .bootstrapServers(broker.bootstrapServers())
                .security(security)
                .build();
    }

    /** Creates the topic, produces three records and reads them back, all through the secured listener. */
    private static void roundTrip(KafkaSettings kafka, String topic) {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Topics.create(admin, 1, topic);
        }
        try (TestProducer<String, String> producer =
                TestProducer.create(kafka.producerProperties(), new StringSerializer(), new StringSerializer())) {
            producer.send(List.of(
                    new ProducerRecord<>(topic, "k", "one"),
                    new ProducerRecord<>(topic, "k", "two"),
                    new ProducerRecord<>(topic, "k", "three")));
        }
        List<ConsumerRecord<String, String>> records = Records.drain(
                kafka.consumerProperties("secured-it-" + topic),
                new StringDeserializer(),
                new StringDeserializer(),
                List.of(topic),
                3,
                Duration.ofSeconds(60));
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("one", "two", "three");
    }
}
