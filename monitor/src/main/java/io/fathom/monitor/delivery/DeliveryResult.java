package io.fathom.monitor.delivery;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How delivering one alert to one endpoint ended.
 *
 * @param outcome delivered, or why not
 * @param attempts requests made (0 if none was)
 * @param lastStatus the HTTP status of the last response; empty if there was none (timeout, refused
 *     connection, refused address)
 */
public record DeliveryResult(Outcome outcome, int attempts, OptionalInt lastStatus) {

    /** Delivered, or the reason it was not; the reason's {@link #code()} is the metric tag and DLQ header. */
    public enum Outcome {
        /** A 2xx answer. */
        DELIVERED,
        /** 410 Gone: the receiver does not want alerts any more; the endpoint is disabled. */
        GONE,
        /** Another 3xx or 4xx answer (redirects are not followed): not retried. */
        REJECTED,
        /** Every attempt failed with a 408, 429, 5xx, a timeout or a network error. */
        EXHAUSTED,
        /** The host resolved to an address the guard refuses (at send time: DNS rebinding). */
        FORBIDDEN_ADDRESS,
        /** The endpoint was disabled by an earlier 410; no request was made. */
        DISABLED,
        /** The record on the topic could not be read as an alert. */
        UNDECODABLE;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public DeliveryResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(lastStatus, "lastStatus");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }
}
