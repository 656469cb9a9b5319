package io.fathom.online;

/**
 * The one unchecked exception family of the online store: {@link OnlineStoreException} (the store failed
 * or cannot be reached), {@link BadRequestException} and {@link UnknownFeatureException} (a read request
 * that cannot be answered as asked).
 */
public abstract class OnlineException extends RuntimeException {
    protected OnlineException(String message) {
        super(message);
    }

    protected OnlineException(String message, Throwable cause) {
        super(message, cause);
    }
}
