package io.fathom.online.internal;

import io.fathom.online.OnlineStoreException;
import io.fathom.online.StoreUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what Lettuce throws into the module's exceptions, unwrapping {@link ExecutionException} and
 * {@link CompletionException} first (as Lettuce's {@code Exceptions.bubble} does). An error reply from
 * Redis ({@link RedisCommandExecutionException}: a script error, a wrong type) is an {@link
 * OnlineStoreException}; everything else — refused or lost connection, commands rejected while
 * disconnected, a full request queue, a timeout — means the store cannot serve now: {@link
 * StoreUnavailableException}.
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
        String message = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (cause instanceof RedisCommandExecutionException) {
            return new OnlineStoreException(store, operation, message, cause);
        }
        return new StoreUnavailableException(store, operation, message, cause);
    }

    /** For a wait that was interrupted: restores the flag and reports the store as not having answered. */
    public static OnlineStoreException interrupted(String store, String operation, InterruptedException e) {
        Thread.currentThread().interrupt();
        return new StoreUnavailableException(store, operation, "interrupted while waiting for Redis", e);
    }
}
