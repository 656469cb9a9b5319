package io.fathom.monitor.alert;

import io.fathom.schemas.RecordComponents;
import java.time.Instant;
import java.util.Optional;

/**
 * A transition of an alert, sent to {@code fathom.alerts} and on to webhooks: it started
 * {@link Status#FIRING}, or it {@link Status#RESOLVED}.
 *
 * @param status firing or resolved
 * @param key what it is about
 * @param fingerprint {@link AlertKey#fingerprint()}, the same for a firing and its resolved
 * @param startsAt the end of the first breaching window of the episode
 * @param endsAt for a resolved alert, the end of the window that resolved it; empty while firing
 * @param value the score of the window that caused the transition
 */
public record Alert(
        Status status, AlertKey key, String fingerprint, Instant startsAt, Optional<Instant> endsAt, double value) {

    /** The two transitions, with their lower-case names as in Alertmanager's webhook. */
    public enum Status {
        FIRING,
        RESOLVED;

        public String code() {
            return this == FIRING ? "firing" : "resolved";
        }
    }

    public Alert {
        RecordComponents.requireNonNull(Alert.class, status, key, fingerprint, startsAt, endsAt, value);
        if ((status == Status.RESOLVED) != endsAt.isPresent()) {
            throw new IllegalArgumentException("an alert has an end exactly when it is resolved");
        }
    }
}
