package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.KafkaSecurity.Sasl;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class KafkaSecurityTest {
    private static final String SASL_PASSWORD = "s3cr\"et\\pw";
    private static final String TRUST_PASSWORD = "trust-pw-4711";
    private static final String KEY_PASSWORD = "key-pw-0815";

    private static final KafkaSecurity SASL_SSL = KafkaSecurity.builder()
            .protocol(SecurityProtocol.SASL_SSL)
            .sasl(Sasl.of(SaslMechanism.SCRAM_SHA_512, "fathom", SASL_PASSWORD))
            .trustStore(Store.of(Path.of("/etc/fathom/truststore.p12"), StoreType.PKCS12, TRUST_PASSWORD))
            .keyStore(Store.of(Path.of("/etc/fathom/client.jks"), StoreType.JKS, KEY_PASSWORD))
            .build();

    private static final KafkaSettings SETTINGS = KafkaSettings.builder()
            .bootstrapServers("kafka:9093")
            .security(SASL_SSL)
            .clientOverrides(Map.of("client.id", "fathom", "sasl.oauthbearer.client.secret", "oauth-secret-99"))
            .build();

    @Test
    void everyClientGetsTheSecuritySettings() {
        Map<String, Object> expected = Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"fathom\""
                                + " password=\"s3cr\\\"et\\\\pw\";",
                "ssl.truststore.location", "/etc/fathom/truststore.p12",
                "ssl.truststore.type", "PKCS12",
                "ssl.truststore.password", TRUST_PASSWORD,
                "ssl.keystore.location", "/etc/fathom/client.jks",
                "ssl.keystore.type", "JKS",
                "ssl.keystore.password", KEY_PASSWORD,
                "ssl.key.password", KEY_PASSWORD);

        assertThat(SETTINGS.producerProperties()).containsAllEntriesOf(expected);
        assertThat(SETTINGS.consumerProperties("g")).containsAllEntriesOf(expected);
        assertThat(SETTINGS.adminProperties()).containsAllEntriesOf(expected);
        assertThat(SETTINGS.streamsProperties("app")).containsAllEntriesOf(expected);
    }

    @Test
    void plaintextIsTheDefaultAndSaysSo() {
        KafkaSettings plain = KafkaSettings.builder().bootstrapServers("k:9092").build();

        assertThat(plain.security()).isEqualTo(KafkaSecurity.plaintext());
        assertThat(plain.adminProperties())
                .containsOnly(Map.entry("bootstrap.servers", "k:9092"), Map.entry("security.protocol", "PLAINTEXT"));
    }

    @Test
    void pemStoresTakeNoStorePassword() {
        KafkaSecurity pem = KafkaSecurity.builder()
                .protocol(SecurityProtocol.SSL)
                .trustStore(Store.pem(Path.of("ca.pem")))
                .keyStore(Store.of(Path.of("client.pem"), StoreType.PEM, KEY_PASSWORD))
                .build();

        assertThat(pem.clientProperties())
                .containsEntry("ssl.truststore.type", "PEM")
                .doesNotContainKeys("ssl.truststore.password", "ssl.keystore.password")
                .containsEntry("ssl.key.password", KEY_PASSWORD);
    }

    @Test
    void noPasswordInToStringOrDescription() {
        List<String> printed = List.of(
                SETTINGS.toString(),
                SETTINGS.security().toString(),
                SETTINGS.description(),
                SASL_SSL.sasl().orElseThrow().toString());

        for (String text : printed) {
            assertThat(text)
                    .doesNotContain(SASL_PASSWORD)
                    .doesNotContain("s3cr")
                    .doesNotContain(TRUST_PASSWORD)
                    .doesNotContain(KEY_PASSWORD)
                    .doesNotContain("oauth-secret-99");
        }
        assertThat(SETTINGS.toString())
                .contains(
                        "kafka:9093",
                        "SCRAM-SHA-512",
                        "username=fathom",
                        "/etc/fathom/truststore.p12",
                        "client.id=fathom")
                .contains("password=" + KafkaSecurity.HIDDEN);
        assertThat(SETTINGS.description()).isEqualTo("kafka:9093, SASL_SSL (SCRAM-SHA-512 as user \"fathom\")");
    }

    @Test
    void mechanismsAndStoreTypesParseKafkasNames() {
        assertThat(SaslMechanism.parse("scram-sha-256")).isEqualTo(SaslMechanism.SCRAM_SHA_256);
        assertThat(SaslMechanism.parse("SCRAM_SHA_512")).isEqualTo(SaslMechanism.SCRAM_SHA_512);
        assertThat(SaslMechanism.parse("PLAIN")).isEqualTo(SaslMechanism.PLAIN);
        assertThat(StoreType.parse("pkcs12")).isEqualTo(StoreType.PKCS12);
        assertThatThrownBy(() -> SaslMechanism.parse("GSSAPI"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("GSSAPI")
                .hasMessageContaining("SCRAM-SHA-512");
        assertThatThrownBy(() -> StoreType.parse("p12"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"p12\"");
    }

    @Test
    void inconsistentSettingsAreRejectedNamingTheProblem() {
        Sasl sasl = Sasl.of(SaslMechanism.PLAIN, "u", "p");
        Store trust = Store.pem(Path.of("ca.pem"));
        assertThatThrownBy(() -> KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SASL_SSL)
                        .build())
                .hasMessageContaining("SASL_SSL needs SASL credentials");
        assertThatThrownBy(() -> KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .sasl(sasl)
                        .build())
                .hasMessageContaining("protocol is SSL: use SASL_SSL");
        assertThatThrownBy(() -> KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SASL_PLAINTEXT)
                        .sasl(sasl)
                        .trustStore(trust)
                        .build())
                .hasMessageContaining("trust store is given but the security protocol SASL_PLAINTEXT does not use TLS");
        assertThatThrownBy(() -> KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .keyStore(new Store(Path.of("k.p12"), StoreType.PKCS12, Optional.empty()))
                        .build())
                .hasMessageContaining("k.p12 needs a password");
        assertThatThrownBy(() -> KafkaSecurity.builder()
                        .protocol(SecurityProtocol.SSL)
                        .trustStore(Store.of(Path.of("ca.pem"), StoreType.PEM, "x"))
                        .build())
                .hasMessageContaining("takes no password");
        assertThatThrownBy(() -> Sasl.of(SaslMechanism.PLAIN, "fathom", ""))
                .hasMessageContaining("password of user \"fathom\" is empty");
    }

    @Test
    void overridesCannotSetWhatSecuritySets() {
        for (String key : List.of("security.protocol", "sasl.jaas.config", "ssl.truststore.password")) {
            assertThatThrownBy(() -> KafkaSettings.builder()
                            .bootstrapServers("k:9092")
                            .clientOverrides(Map.of(key, "x"))
                            .build())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("clientOverrides sets " + key + "; set security instead");
        }
    }
}
