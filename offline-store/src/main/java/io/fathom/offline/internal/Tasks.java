package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/** Runs tasks on a pool and waits for all of them; the first failure cancels the rest and is rethrown. */
final class Tasks {
    private Tasks() {}

    static <T> List<T> runAll(ExecutorService pool, List<? extends Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(task));
        }
        List<T> results = new ArrayList<>(tasks.size());
        try {
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new OfflineException("interrupted while the join was running", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw bubble(e.getCause());
        } catch (CancellationException e) {
            futures.forEach(f -> f.cancel(true));
            throw new OfflineException("a join task was cancelled", e);
        }
    }

    /** The cause as an unchecked exception: Offline and other runtime exceptions as they are, others wrapped. */
    static RuntimeException bubble(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new OfflineException(cause.getMessage(), cause);
    }
}
