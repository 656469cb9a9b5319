package io.fathom.kafka;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How every client of every component authenticates to Kafka and encrypts its connections: the part of
 * {@link KafkaSettings} that {@code security.protocol}, {@code sasl.*} and the {@code ssl.*} store
 * properties come from, and nowhere else. Start from {@link #plaintext()} or {@link #builder()}.
 *
 * <p>{@link #toString()} never shows a password: records print every component, and configurations are
 * logged.
 *
 * @param protocol {@code PLAINTEXT} (the default), {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
 * @param sasl the mechanism and credentials; required by the {@code SASL_*} protocols, refused by the others
 * @param trustStore whom to trust (a private CA); only with {@code SSL} and {@code SASL_SSL}. Empty: the JVM's
 *     default trust store (public CAs)
 * @param keyStore this client's certificate and key, for brokers that require client certificates (mTLS);
 *     only with {@code SSL} and {@code SASL_SSL}. Its password is also the key's
 */
@RecordBuilder
public record KafkaSecurity(
        SecurityProtocol protocol, Optional<Sasl> sasl, Optional<Store> trustStore, Optional<Store> keyStore) {

    /** What {@link #toString()} prints in place of a secret. */
    public static final String HIDDEN = "[hidden]";

    /** The client properties only this record sets: {@link KafkaSettings#clientOverrides()} may not. */
    static final Set<String> MANAGED = Set.of(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.truststore.location",
            "ssl.truststore.type",
            "ssl.truststore.password",
            "ssl.truststore.certificates",
            "ssl.keystore.location",
            "ssl.keystore.type",
            "ssl.keystore.password",
            "ssl.keystore.key",
            "ssl.keystore.certificate.chain",
            "ssl.key.password");

    public KafkaSecurity {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(sasl, "sasl");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(keyStore, "keyStore");
        boolean usesSasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        boolean usesTls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        if (usesSasl && sasl.isEmpty()) {
            throw new IllegalArgumentException("security protocol " + protocol + " needs SASL credentials (sasl)");
        }
        if (!usesSasl && sasl.isPresent()) {
            throw new IllegalArgumentException("SASL credentials are given but the security protocol is " + protocol
                    + ": use SASL_SSL (or SASL_PLAINTEXT)");
        }
        if (!usesTls && (trustStore.isPresent() || keyStore.isPresent())) {
            throw new IllegalArgumentException("a " + (trustStore.isPresent() ? "trust" : "key")
                    + " store is given but the security protocol " + protocol
                    + " does not use TLS: use SSL or SASL_SSL");
        }
        keyStore.ifPresent(store -> {
            if (store.type() != StoreType.PEM && store.password().isEmpty()) {
                throw new IllegalArgumentException("the key store " + store.path() + " needs a password");
            }
        });
        trustStore.ifPresent(store -> {
            if (store.type() == StoreType.PEM && store.password().isPresent()) {
                throw new IllegalArgumentException(
                        "the PEM trust store " + store.path() + " takes no password (Kafka refuses one)");
            }
        });
    }

    /** No encryption, no authentication: what a broker on a trusted network (or the in-JVM one) takes. */
    public static KafkaSecurity plaintext() {
        return builder().build();
    }

    /** A builder preset with {@code PLAINTEXT} and nothing else. */
    public static KafkaSecurityBuilder builder() {
        return KafkaSecurityBuilder.builder()
                .protocol(SecurityProtocol.PLAINTEXT)
                .sasl(Optional.empty())
                .trustStore(Optional.empty())
                .keyStore(Optional.empty());
    }

    public KafkaSecurityBuilder toBuilder() {
        return KafkaSecurityBuilder.builder(this);
    }

    /** {@code security.protocol}, {@code sasl.*} and the {@code ssl.*} store properties of every client. */
    Map<String, Object> clientProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("security.protocol", protocol.name);
        sasl.ifPresent(s -> {
            props.put("sasl.mechanism", s.mechanism().kafkaName());
            props.put("sasl.jaas.config", s.jaasConfig());
        });
        trustStore.ifPresent(store -> {
            props.put("ssl.truststore.location", store.path().toString());
            props.put("ssl.truststore.type", store.type().name());
            store.password().ifPresent(p -> props.put("ssl.truststore.password", p));
        });
        keyStore.ifPresent(store -> {
            props.put("ssl.keystore.location", store.path().toString());
            props.put("ssl.keystore.type", store.type().name());
            store.password().ifPresent(p -> {
                if (store.type() != StoreType.PEM) {
                    props.put("ssl.keystore.password", p);
                }
                props.put("ssl.key.password", p);
            });
        });
        return props;
    }

    /** For messages: the protocol and, with SASL, the mechanism and user; never a password. */
    public String description() {
        return protocol.name
                + sasl.map(s -> " (" + s.mechanism().kafkaName() + " as user \"" + s.username() + "\")")
                        .orElse("");
    }

    /** The SASL mechanisms Fathom's clients speak. */
    public enum SaslMechanism {
        PLAIN("PLAIN", "org.apache.kafka.common.security.plain.PlainLoginModule"),
        SCRAM_SHA_256("SCRAM-SHA-256", "org.apache.kafka.common.security.scram.ScramLoginModule"),
        SCRAM_SHA_512("SCRAM-SHA-512", "org.apache.kafka.common.security.scram.ScramLoginModule");

        private final String kafkaName;
        private final String loginModule;

        SaslMechanism(String kafkaName, String loginModule) {
            this.kafkaName = kafkaName;
            this.loginModule = loginModule;
        }

        /** Kafka's name of it: {@code PLAIN}, {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512}. */
        public String kafkaName() {
            return kafkaName;
        }

        /** Kafka's name or this enum's, in any case. */
        public static SaslMechanism parse(String text) {
            Objects.requireNonNull(text, "text");
            for (SaslMechanism mechanism : values()) {
                if (mechanism.kafkaName.equalsIgnoreCase(text.strip())
                        || mechanism.name().equalsIgnoreCase(text.strip())) {
                    return mechanism;
                }
            }
            throw new IllegalArgumentException(
                    "unknown SASL mechanism \"" + text + "\": expected PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512");
        }
    }

    /** The format of a trust or key store file, as Kafka's {@code ssl.*.type} names it. */
    public enum StoreType {
        PKCS12,
        JKS,
        PEM;

        public static StoreType parse(String text) {
            Objects.requireNonNull(text, "text");
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown store type \"" + text + "\": expected PKCS12, JKS or PEM", e);
            }
        }
    }

    /**
     * SASL credentials. {@link #toString()} hides the password.
     *
     * @param mechanism {@code SCRAM-SHA-256}, {@code SCRAM-SHA-512} or {@code PLAIN}
     * @param username the Kafka user
     * @param password its password
     */
    public record Sasl(SaslMechanism mechanism, String username, String password) {
        public Sasl {
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (username.isBlank()) {
                throw new IllegalArgumentException("the SASL username must not be blank");
            }
            if (password.isEmpty()) {
                throw new IllegalArgumentException("the SASL password of user \"" + username + "\" is empty");
            }
        }

        public static Sasl of(SaslMechanism mechanism, String username, String password) {
            return new Sasl(mechanism, username, password);
        }

        /** The client's {@code sasl.jaas.config}: the login module with the user and password quoted. */
        String jaasConfig() {
            return mechanism.loginModule + " required username=" + quote(username) + " password=" + quote(password)
                    + ";";
        }

        private static String quote(String value) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }

        @Override
        public String toString() {
            return "Sasl[mechanism=" + mechanism.kafkaName() + ", username=" + username + ", password=" + HIDDEN + "]";
        }
    }

    /**
     * A trust or key store file. {@link #toString()} hides the password.
     *
     * @param path the file, read by every client when it connects
     * @param type its format
     * @param password the store's password (and, for a key store, the key's); none for a PEM trust store
     */
    public record Store(Path path, StoreType type, Optional<String> password) {
        public Store {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(password, "password");
        }

        public static Store of(Path path, StoreType type, String password) {
            return new Store(path, type, Optional.of(password));
        }

        /** A PEM file of CA certificates: no password. */
        public static Store pem(Path path) {
            return new Store(path, StoreType.PEM, Optional.empty());
        }

        @Override
        public String toString() {
            return "Store[path=" + path + ", type=" + type + ", password="
                    + password.map(p -> HIDDEN).orElse("none") + "]";
        }
    }
}
