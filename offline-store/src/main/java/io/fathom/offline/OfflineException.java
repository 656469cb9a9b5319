package io.fathom.offline;

/**
 * The offline store's unchecked exception family: storage failures, bad requests and bad input (see
 * {@link EntityRowsException}). The message says what failed and with which value; the cause is always
 * chained.
 */
public class OfflineException extends RuntimeException {
    public OfflineException(String message) {
        super(message);
    }

    public OfflineException(String message, Throwable cause) {
        super(message, cause);
    }
}
