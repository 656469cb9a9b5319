package io.fathom.kafka;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * How many failed stream threads a {@link StreamsApp} replaces before it gives up: at most {@code max} within any
 * {@code window}. A failure that comes back again and again is not recoverable (a bug, a broker that refuses the
 * application for good), and replacing the thread for ever would only hide it; one now and then (a broker bounce
 * that outlived the clients' retries, a fenced producer) is.
 */
final class ThreadReplacements {
    private final int max;
    private final Duration window;
    private final InstantSource clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    ThreadReplacements(int max, Duration window, InstantSource clock) {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0, was " + max);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        this.max = max;
        this.window = window;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Counts a failure now; whether it may be replaced (at most {@code max} within the window, this one included). */
    synchronized boolean allow() {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) {
            recent.removeFirst();
        }
        recent.addLast(now);
        return recent.size() <= max;
    }

    /** Failures counted within the window that ended at the last {@link #allow()}. */
    synchronized int recent() {
        return recent.size();
    }

    int max() {
        return max;
    }

    Duration window() {
        return window;
    }
}
