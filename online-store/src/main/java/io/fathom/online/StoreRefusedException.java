package io.fathom.online;

/**
 * The store cannot be reached because it refused the client: wrong credentials or ACL user, or a failed TLS
 * handshake (an untrusted or misnamed certificate). Unavailable like any connection failure, but a configuration
 * problem rather than an outage: a process starting up reports it instead of waiting for the store.
 */
public class StoreRefusedException extends StoreUnavailableException {
    public StoreRefusedException(String store, String operation, String message, Throwable cause) {
        super(store, operation, message, cause);
    }
}
