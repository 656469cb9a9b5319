package io.fathom.kafka;

import java.util.Optional;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Kafka's refusals of a client, in words that say what to check: a SASL login that failed (the user or
 * password), a TLS handshake that failed (the trust store, the certificate's host name), an operation the
 * user may not do (the ACLs). Asking again cannot change these answers, so the components fail at once
 * with them instead of waiting.
 */
public final class KafkaFailures {
    private KafkaFailures() {}

    /** The refusal in {@code failure}'s cause chain, if there is one. */
    public static Optional<Throwable> refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** What went wrong, for a message: the kind of refusal, what to check, and Kafka's own words. */
    public static String describe(Throwable failure) {
        Throwable refusal = refusal(failure).orElse(failure);
        if (refusal instanceof SaslAuthenticationException) {
            return "SASL authentication failed (check the user name, password and mechanism): " + refusal.getMessage();
        }
        if (refusal instanceof SslAuthenticationException) {
            return "the TLS handshake failed (check that the trust store holds the broker's CA and that the"
                    + " broker's certificate names the host): " + deepest(refusal);
        }
        if (refusal instanceof AuthenticationException) {
            return "authentication failed: " + refusal.getMessage();
        }
        if (refusal instanceof AuthorizationException) {
            return "not authorized (check the user's ACLs): " + refusal.getMessage();
        }
        return refusal.getMessage();
    }

    /** The message of the innermost TLS exception (e.g. "PKIX path building failed"), or of the failure. */
    private static String deepest(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable t = failure.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SSLException || t.getCause() == null) {
                message = t.getMessage();
            }
        }
        return message;
    }
}
