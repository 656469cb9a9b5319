package io.fathom.monitor.internal;

import java.time.Duration;
import java.util.Random;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015):
 * before retry {@code n} (1 for the first retry) wait a uniform random time in {@code [0, min(max,
 * initial · 2^(n−1)))}. Full jitter spreads the retries of many senders best for the least total work.
 */
public final class Backoff {
    private Backoff() {}

    public static Duration cap(int retry, Duration initial, Duration max) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry counts from 1, was " + retry);
        }
        long initialNanos = initial.toNanos();
        long maxNanos = max.toNanos();
        int shift = Math.min(retry - 1, 62);
        long cap = initialNanos > (maxNanos >> shift) ? maxNanos : initialNanos << shift;
        return Duration.ofNanos(Math.min(cap, maxNanos));
    }

    public static Duration fullJitter(int retry, Duration initial, Duration max, Random random) {
        long cap = cap(retry, initial, max).toNanos();
        return Duration.ofNanos((long) (random.nextDouble() * cap));
    }
}
