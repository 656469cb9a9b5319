package io.fathom.core;

import java.util.Locale;
import java.util.Objects;

/**
 * An event cannot be used: it is undecodable, lacks or has a bad timestamp or key, has a value of
 * the wrong type, or is too late. Core's exception family for bad events; ingest sends such events
 * to the DLQ with {@link Reason#code()} as the reason.
 */
public final class InvalidEventException extends RuntimeException {
    /** Why an event was rejected. */
    public enum Reason {
        UNDECODABLE,
        MISSING_TIMESTAMP,
        BAD_TIMESTAMP,
        MISSING_KEY,
        WRONG_TYPE,
        LATE;

        private final String code = name().toLowerCase(Locale.ROOT);

        /** The stable lower-case code, e.g. {@code missing_timestamp}, used in DLQ headers and metrics. */
        public String code() {
            return code;
        }
    }

    private final Reason reason;

    public InvalidEventException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public InvalidEventException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
