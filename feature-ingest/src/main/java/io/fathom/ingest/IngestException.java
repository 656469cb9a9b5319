package io.fathom.ingest;

/** Ingest could not start or run: the message says what, the cause says why. */
public final class IngestException extends RuntimeException {
    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }
}
