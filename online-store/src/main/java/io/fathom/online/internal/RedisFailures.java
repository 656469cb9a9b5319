package io.fathom.online.internal;

import io.fathom.online.OnlineStoreException;
import io.fathom.online.StoreRefusedException;
import io.fathom.online.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;

/**
 * Turns what Lettuce throws into the module's exceptions, unwrapping {@link ExecutionException} and
 * {@link CompletionException} first (as Lettuce's {@code Exceptions.bubble} does). An error reply from
 * Redis ({@link RedisCommandExecutionException}: a script error, a wrong type) is an {@link
 * OnlineStoreException}; everything else — refused or lost connection, commands rejected while
 * disconnected, a full request queue, a timeout — means the store cannot serve now: {@link
 * StoreUnavailableException}, or {@link StoreRefusedException} when the server refused the credentials or the TLS
 * handshake failed.
 */
public final class RedisFailures {
    private RedisFailures() {}

    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    public static OnlineStoreException translate(String store, String operation, Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof OnlineStoreException known) {
            return known;
        }
        String refusal = refusal(cause);
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage() + refusal;
        if (cause instanceof RedisCommandExecutionException) {
            return new OnlineStoreException(store, operation, message, cause);
        }
        return refusal.isEmpty()
                ? new StoreUnavailableException(store, operation, message, cause)
                : new StoreRefusedException(store, operation, message, cause);
    }

    /**
     * What a failed connection attempt hides in its causes, said plainly: the server refused the ACL user or
     * password ({@code WRONGPASS}, {@code NOAUTH}), or the TLS handshake failed (an untrusted or misnamed
     * certificate). Empty for anything else.
     */
    private static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String text = String.valueOf(t.getMessage());
            if (text.startsWith("WRONGPASS") || text.startsWith("NOAUTH") || text.startsWith("NOPERM")) {
                return "; Redis refused the credentials (check the user and password in the URI): " + text;
            }
            if (t instanceof SSLException) {
                return "; the TLS handshake failed (check that the trust store holds the server's CA and that its"
                        + " certificate names the host): " + deepest(t);
            }
        }
        return "";
    }

    private static String deepest(Throwable failure) {
        Throwable last = failure;
        while (last.getCause() != null) {
            last = last.getCause();
        }
        return last.getMessage();
    }

    /** For a wait that was interrupted: restores the flag and reports the store as not having answered. */
    public static OnlineStoreException interrupted(String store, String operation, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StoreUnavailableException(store, operation, "interrupted while waiting for Redis", e);
    }
}
