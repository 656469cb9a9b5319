package io.fathom.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread a consume loop runs on (the online writer's, the offline writer's, the alert dispatcher's),
 * with one lifecycle and one status for all of them. The loops themselves stay their components' own.
 *
 * <pre>
 *  NEW ──start()──▶ RUNNING ──the loop returns──────────────────────────────▶ STOPPED
 *                      │      (or, after stop(), throws WakeupException,
 *                      │       InterruptException or InterruptedException)
 *                      └──────the loop throws anything else (Error too)──────▶ FAILED, failure() holds it
 * </pre>
 *
 * <p>{@link #stop()} asks: it sets {@link #stopRequested()} and calls the loop's wake-up (typically {@code
 * consumer.wakeup()}), then returns; {@link #join(Duration)} waits for the thread. Nothing the loop throws
 * escapes the thread: it is kept as {@link #failure()} and logged once.
 */
public final class Worker {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    /** Where a worker is in its life. */
    public enum State {
        /** Made, not started. */
        NEW,
        /** The loop runs (it may be waiting for records, or for a store). */
        RUNNING,
        /** The loop returned, after {@link #stop()} or on its own. */
        STOPPED,
        /** The loop threw: see {@link #failure()}. */
        FAILED
    }

    /** The work, run on the worker's thread. */
    @FunctionalInterface
    public interface Loop {
        /** Works until {@link Worker#stopRequested()} (or done): returning stops the worker, throwing fails it. */
        void run() throws Exception;
    }

    private final String name;
    private final Runnable wakeUp;
    private final Thread thread;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private volatile Throwable failure;
    private volatile boolean stopRequested;

    /**
     * A worker in state {@link State#NEW}.
     *
     * @param name the thread's name, also in log lines (e.g. {@code fathom-online-writer-<group>})
     * @param loop the work
     * @param wakeUp makes a blocked {@code loop} return soon (e.g. {@code consumer::wakeup}); called by {@link
     *     #stop()} on the stopping thread, it must not block
     */
    public Worker(String name, Loop loop, Runnable wakeUp) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(loop, "loop");
        this.wakeUp = Objects.requireNonNull(wakeUp, "wakeUp");
        this.thread = new Thread(() -> runLoop(loop), name);
        thread.setUncaughtExceptionHandler((t, e) -> LOG.error("{}: uncaught failure", name, e));
    }

    /**
     * Starts the thread; the state is {@link State#RUNNING} from here on until the loop ends. A component
     * whose loop reads its worker (for {@link #stopRequested()}) assigns it to its field first.
     *
     * @throws IllegalStateException if it was started before
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.RUNNING)) {
            throw new IllegalStateException(name + " was started already (state " + state.get() + ")");
        }
        thread.start();
    }

    /** Asks the loop to stop (sets {@link #stopRequested()}, calls the wake-up); returns at once. */
    public void stop() {
        stopRequested = true;
        wakeUp.run();
    }

    /**
     * Interrupts the thread: for loops blocked in an interruptible wait (an HTTP request, a back-off sleep)
     * that the wake-up does not end. Use after {@link #stop()}.
     */
    public void interrupt() {
        thread.interrupt();
    }

    /**
     * Waits up to {@code timeout} for the thread to end.
     *
     * @return whether it ended (true also for a worker never started)
     */
    public boolean join(Duration timeout) throws InterruptedException {
        if (state.get() == State.NEW) {
            return true;
        }
        thread.join(Math.max(1, timeout.toMillis()));
        return !thread.isAlive();
    }

    /** Whether {@link #stop()} was called: the loop's condition to return. */
    public boolean stopRequested() {
        return stopRequested;
    }

    public State state() {
        return state.get();
    }

    /** What made the worker {@link State#FAILED}. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    public String name() {
        return name;
    }

    private void runLoop(Loop loop) {
        try {
            loop.run();
            state.set(State.STOPPED);
        } catch (Throwable t) {
            if (stopRequested && isStopSignal(t)) {
                state.set(State.STOPPED);
            } else {
                failure = t;
                state.set(State.FAILED);
                LOG.error("{} stopped by a failure: {}", name, t.toString(), t);
            }
        }
    }

    /** What a consumer or a wait throws when {@link #stop()} woke or interrupted it. */
    private static boolean isStopSignal(Throwable t) {
        return t instanceof WakeupException || t instanceof InterruptException || t instanceof InterruptedException;
    }

    @Override
    public String toString() {
        return "Worker[" + name + ", " + state.get() + "]";
    }
}
