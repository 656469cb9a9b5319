package io.fathom.embedded;

import io.fathom.kafka.KafkaSecurity;
import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The security of an {@link EmbeddedKafka} broker's client listener, for tests of Fathom's clients against
 * TLS and SASL: the protocol, the broker's certificate, and the SASL users the broker accepts. Start from
 * {@link #builder()}. {@link #toString()} hides the passwords.
 *
 * @param protocol {@code SSL}, {@code SASL_SSL} or {@code SASL_PLAINTEXT} ({@code PLAINTEXT} is what a broker
 *     without a {@code ListenerSecurity} has)
 * @param saslMechanism the one mechanism the listener takes; required by the {@code SASL_*} protocols
 * @param users the users the listener accepts and their passwords: SCRAM credentials created through the
 *     broker's plaintext listener once it runs, or PLAIN's static users; at least one with SASL
 * @param keyStore the broker's certificate and key (a PKCS12 or JKS store with its password, or a PEM file);
 *     required by {@code SSL} and {@code SASL_SSL}
 */
@RecordBuilder
public record ListenerSecurity(
        SecurityProtocol protocol,
        Optional<SaslMechanism> saslMechanism,
        Map<String, String> users,
        Optional<Store> keyStore) {

    public ListenerSecurity {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(saslMechanism, "saslMechanism");
        users = Map.copyOf(Objects.requireNonNull(users, "users"));
        Objects.requireNonNull(keyStore, "keyStore");
        if (protocol == SecurityProtocol.PLAINTEXT) {
            throw new IllegalArgumentException("a secured listener needs SSL, SASL_SSL or SASL_PLAINTEXT, not "
                    + protocol + " (a broker without ListenerSecurity is plain text)");
        }
        boolean usesSasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (usesSasl && (saslMechanism.isEmpty() || users.isEmpty())) {
            throw new IllegalArgumentException(protocol + " needs a SASL mechanism and at least one user");
        }
        if (!usesSasl && (saslMechanism.isPresent() || !users.isEmpty())) {
            throw new IllegalArgumentException("SASL users are given but the protocol is " + protocol);
        }
        boolean usesTls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        if (usesTls && keyStore.isEmpty()) {
            throw new IllegalArgumentException(protocol + " needs the broker's key store");
        }
    }

    /** A builder with no SASL, no users and no key store: set the protocol and what it needs. */
    public static ListenerSecurityBuilder builder() {
        return ListenerSecurityBuilder.builder()
                .saslMechanism(Optional.empty())
                .users(Map.of())
                .keyStore(Optional.empty());
    }

    boolean scram() {
        return saslMechanism.filter(m -> m != SaslMechanism.PLAIN).isPresent();
    }

    @Override
    public String toString() {
        Map<String, String> hidden = new TreeMap<>();
        users.keySet().forEach(user -> hidden.put(user, KafkaSecurity.HIDDEN));
        return "ListenerSecurity[protocol=" + protocol + ", saslMechanism="
                + saslMechanism.map(SaslMechanism::kafkaName).orElse("none") + ", users=" + hidden + ", keyStore="
                + keyStore.map(Store::toString).orElse("none") + "]";
    }
}
