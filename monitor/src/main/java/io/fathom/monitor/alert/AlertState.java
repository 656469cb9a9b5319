package io.fathom.monitor.alert;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one alert stands, between windows: a small immutable value, easy to keep in a key-value store.
 *
 * @param key what the alert is about
 * @param status OK, PENDING (breached, not yet for long enough) or FIRING
 * @param breaches consecutive breaching windows of the current run (counts towards {@code for})
 * @param clean consecutive clean windows while firing (counts towards {@code resolve_after})
 * @param since when the current episode began: the first breaching window of the run that led to
 *     PENDING or FIRING; empty when OK
 * @param lastValue the score of the last judged window (NaN before any)
 */
public record AlertState(
        AlertKey key, Status status, int breaches, int clean, Optional<Instant> since, double lastValue) {

    /** The alert's status. */
    public enum Status {
        OK,
        PENDING,
        FIRING
    }

    public AlertState {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(since, "since");
        if (breaches < 0 || clean < 0) {
            throw new IllegalArgumentException("counts must be non-negative, were " + breaches + " and " + clean);
        }
        if ((status == Status.OK) != since.isEmpty()) {
            throw new IllegalArgumentException("an alert has a start exactly when it is PENDING or FIRING");
        }
    }

    /** This state with another last value. */
    AlertState withValue(double value) {
        return new AlertState(key, status, breaches, clean, since, value);
    }

    /** A new alert: OK, nothing counted. */
    public static AlertState initial(AlertKey key) {
        return new AlertState(key, Status.OK, 0, 0, Optional.empty(), Double.NaN);
    }
}
