package io.fathom.online;

/** The store cannot be reached, rejected the command while disconnected, or did not answer in time. */
public class StoreUnavailableException extends OnlineStoreException {
    public StoreUnavailableException(String store, String operation, String message, Throwable cause) {
        super(store, operation, message, cause);
    }

    @Override
    public boolean unavailable() {
        return true;
    }
}
