package io.fathom.monitor.delivery;

import java.time.Duration;

/** Waits between delivery attempts; tests pass one that records the waits and returns at once. */
@FunctionalInterface
public interface Sleeper {
    /** Waits in real time, interruptibly. */
    Sleeper SYSTEM = duration -> {
        if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    };

    /** Waits {@code duration}; throws as soon as the thread is interrupted (the dispatcher closing). */
    void sleep(Duration duration) throws InterruptedException;
}
