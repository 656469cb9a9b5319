package io.fathom.ingest.internal;

import io.fathom.core.InvalidEventException;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a processor does with an exception other than {@code InvalidEventException} thrown while it
 * decodes or aggregates one record: the record goes to the dead-letter topic with the reason {@value
 * #REASON} and the exception's message, and the processor goes on. Left to Kafka Streams, such an
 * exception replaces the stream thread, which reads the same record again, forever: one record would
 * stall its partition. Each exception class is logged once at WARN, with its stack trace; the
 * dead-letter counter counts them all.
 */
final class UnexpectedErrors {
    /** The dead-letter reason of a record whose processing threw something unexpected. */
    static final String REASON = "internal_error";

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedErrors.class);

    private final String stage;
    private final Set<Class<?>> logged = new HashSet<>();

    /** For one processor, named in the log line (e.g. {@code view user_txn}). */
    UnexpectedErrors(String stage) {
        this.stage = stage;
    }

    /** Why a record that threw {@code e} is dead-lettered: a bad event's reason, or {@value #REASON}. */
    record Rejection(String reason, String message) {}

    /**
     * The dead-letter reason and message of a record that threw {@code e}: an {@link InvalidEventException}'s own,
     * anything else {@value #REASON} with the exception's class and message (the first of each class logged).
     */
    Rejection rejection(RuntimeException e) {
        return e instanceof InvalidEventException invalid
                ? new Rejection(invalid.reason().code(), invalid.getMessage())
                : new Rejection(REASON, describe(e));
    }

    private String describe(RuntimeException e) {
        String message = e.getClass().getName() + ": " + e.getMessage();
        if (logged.add(e.getClass())) {
            LOG.warn(
                    "{}: a record threw {}; it goes to the dead-letter topic as {} (logged once per exception class)",
                    stage,
                    message,
                    REASON,
                    e);
        }
        return message;
    }
}
