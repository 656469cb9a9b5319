package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import io.fathom.offline.ProgressListener.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks on a pool and waits for all of them. After a failure the tasks not yet started return at
 * once, those running finish, and then the first failure is rethrown: nothing of the join still runs when
 * its caller cleans up (sorters, spill files).
 */
public final class Tasks {
    private Tasks() {}

    /** Runs the tasks as {@link #runAll} does, as one progress stage counted in tasks. */
    static void runCounted(
            ExecutorService pool, List<? extends Callable<?>> tasks, JoinProgress progress, Stage stage) {
        List<Callable<Void>> counted = new ArrayList<>(tasks.size());
        for (Callable<?> task : tasks) {
            counted.add(() -> {
                task.call();
                progress.add(1);
                return null;
            });
        }
        progress.start(stage, tasks.size());
        runAll(pool, counted);
        progress.finish(tasks.size());
    }

    /** A fixed pool of daemon threads named {@code <name>-1}, {@code <name>-2}, ... */
    public static ExecutorService daemonPool(int threads, String name) {
        AtomicInteger ids = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, name + "-" + ids.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static <T> List<T> runAll(ExecutorService pool, List<? extends Callable<T>> tasks) {
        AtomicBoolean failed = new AtomicBoolean();
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (Callable<T> task : tasks) {
            futures.add(pool.submit(() -> {
                if (failed.get()) {
                    return null;
                }
                try {
                    return task.call();
                } catch (Throwable t) {
                    failed.set(true);
                    throw t;
                }
            }));
        }
        List<T> results = new ArrayList<>(tasks.size());
        Throwable first = null;
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw new OfflineException("interrupted while the join was running", e);
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause();
                } else if (first != e.getCause()) {
                    first.addSuppressed(e.getCause());
                }
            }
        }
        if (first != null) {
            throw bubble(first);
        }
        return results;
    }

    /** The cause as an unchecked exception: runtime exceptions as they are, errors rethrown, others wrapped. */
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
