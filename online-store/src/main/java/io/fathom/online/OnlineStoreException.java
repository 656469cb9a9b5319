package io.fathom.online;

import java.util.Objects;

/**
 * An operation of an {@link OnlineStore} failed. The message names the store and the operation; the cause
 * is chained. {@link #unavailable()} tells "the store cannot be reached or did not answer in time" (retry
 * later, HTTP 503; thrown as {@link StoreUnavailableException}) from "the store answered with an error".
 */
public class OnlineStoreException extends OnlineException {
    public OnlineStoreException(String store, String operation, String message, Throwable cause) {
        super(
                Objects.requireNonNull(store, "store") + ": " + Objects.requireNonNull(operation, "operation")
                        + " failed: " + message,
                cause);
    }

    public OnlineStoreException(String store, String operation, String message) {
        this(store, operation, message, null);
    }

    /** Whether the store could not be reached or did not answer in time. */
    public boolean unavailable() {
        return false;
    }
}
