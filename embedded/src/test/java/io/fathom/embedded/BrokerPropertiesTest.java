package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {
    private final Properties props =
            BrokerProperties.of(Path.of("/tmp/fathom-kafka-test"), 19092, 19093, Duration.ofSeconds(60));

    @Test
    void kafkaAcceptsTheConfiguration() {
        KafkaConfig config = KafkaConfig.fromProps(props);

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.logDirs()).containsExactly("/tmp/fathom-kafka-test");
        assertThat(config.quorumConfig().voters()).containsExactly("1@127.0.0.1:19093");
    }

    @Test
    void oneNodeSupportsGroupsAndTransactionsAndKeepsOldRecords() {
        assertThat(props)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("log.retention.ms", "-1")
                .containsEntry("log.cleaner.dedupe.buffer.size", "2097152");
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(List.of(props.getProperty("listeners").split(",")))
                .containsExactly("PLAINTEXT://127.0.0.1:19092", "CONTROLLER://127.0.0.1:19093");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
    }

    @Test
    void aSecuredListenerGoesInFrontOfThePlainTextOne() {
        Properties secured =
                BrokerProperties.of(Path.of("/tmp/fathom-kafka-test"), 19092, 19093, Duration.ofSeconds(60));
        BrokerProperties.secure(
                secured,
                ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SASL_SSL)
                        .saslMechanism(SaslMechanism.PLAIN)
                        .users(Map.of("alice", "pw\"1"))
                        .keyStore(Store.of(Path.of("/tmp/broker.p12"), StoreType.PKCS12, "ks-pw"))
                        .build(),
                19094);

        KafkaConfig config = KafkaConfig.fromProps(secured);

        assertThat(List.of(secured.getProperty("listeners").split(",")))
                .containsExactly(
                        "SECURED://127.0.0.1:19094", "PLAINTEXT://127.0.0.1:19092", "CONTROLLER://127.0.0.1:19093");
        assertThat(secured.getProperty("listener.security.protocol.map"))
                .isEqualTo("SECURED:SASL_SSL,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        assertThat(secured)
                .containsEntry("inter.broker.listener.name", "PLAINTEXT")
                .containsEntry("sasl.enabled.mechanisms", "PLAIN")
                .containsEntry(
                        "listener.name.secured.plain.sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"pw\\\"1\";")
                .containsEntry("ssl.keystore.location", "/tmp/broker.p12")
                .containsEntry("ssl.keystore.password", "ks-pw");
        assertThat(config.nodeId()).isEqualTo(1); // KafkaConfig accepted the three listeners and the protocol map
    }

    @Test
    void listenerSecurityRefusesWhatCannotWork() {
        assertThatThrownBy(() -> ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .build())
                .hasMessageContaining("SSL needs the broker's key store");
        assertThatThrownBy(() -> ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SASL_PLAINTEXT)
                        .saslMechanism(SaslMechanism.SCRAM_SHA_256)
                        .build())
                .hasMessageContaining("SASL_PLAINTEXT needs a SASL mechanism and at least one user");
        assertThat(ListenerSecurity.builder()
                        .protocol(SecurityProtocol.SASL_PLAINTEXT)
                        .saslMechanism(SaslMechanism.SCRAM_SHA_256)
                        .users(Map.of("bob", "bobs-secret"))
                        .build()
                        .toString())
                .contains("bob=[hidden]")
                .doesNotContain("bobs-secret");
    }
}
