package io.fathom.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one kind of request in a closed loop on a few threads: a warm-up whose samples are dropped, then a
 * measured period. Each thread waits for its reply before sending the next request, so with {@code n}
 * threads there are {@code n} requests in flight.
 */
final class LoadRunner {
    /** One call: a request (or a pipelined batch of {@code operations} requests) and its reply. */
    interface Call {
        void run() throws Exception;
    }

    /** Makes each thread's call, on that thread (a connection or client of its own, for example). */
    interface CallFactory {
        Call create() throws Exception;
    }

    /** What a run measured: latency per call, and operations per second over the measured period. */
    record Result(LatencyRecorder latencies, double operationsPerSecond) {}

    private final Duration warmUp;
    private final Duration measured;

    LoadRunner(Duration warmUp, Duration measured) {
        this.warmUp = warmUp;
        this.measured = measured;
    }

    /**
     * Runs {@code call} on {@code threads} threads; each call counts as {@code operations} operations (a
     * pipelined batch of 16 counts 16).
     */
    Result run(int threads, int operations, CallFactory calls) throws InterruptedException {
        LatencyRecorder latencies = new LatencyRecorder();
        long[] counts = new long[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        long end = measureFrom + measured.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(
                    () -> {
                        LatencyRecorder mine = new LatencyRecorder();
                        try {
                            Call call = calls.create();
                            long now = System.nanoTime();
                            while (now < end && failure.get() == null) {
                                long before = now;
                                call.run();
                                now = System.nanoTime();
                                if (before >= measureFrom) {
                                    mine.record(now - before);
                                    counts[index]++;
                                }
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            latencies.addAll(mine);
                            done.countDown();
                        }
                    },
                    "load-" + t);
            workers.add(worker);
            worker.start();
        }
        done.await();
        if (failure.get() != null) {
            throw new IllegalStateException("a benchmark request failed", failure.get());
        }
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return new Result(latencies, total * (double) operations / (measured.toNanos() / 1e9));
    }
}
