package io.fathom.app.node;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-second rates of counts that only grow (Micrometer counters), over about the last {@code window}.
 * Each {@link #rates} call samples the counts (at most one sample a second is kept) and compares them
 * with the newest kept sample at least {@code window} old — or, younger than that, with the first
 * sample, taken at construction: so the first call already answers, with the rate since start.
 * Thread-safe.
 */
final class TrailingRates {
    private static final long SPACING_MILLIS = 1_000;

    private record Sample(long atMillis, Map<String, Double> counts) {}

    private final Clock clock;
    private final long windowMillis;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    TrailingRates(Clock clock, Duration window, Map<String, Double> initial) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the window must be positive, was " + window);
        }
        this.windowMillis = window.toMillis();
        samples.add(new Sample(clock.millis(), Map.copyOf(initial)));
    }

    /**
     * Each key's rate per second; a key missing from the earlier sample counted from 0. Empty values
     * (no time passed since the first sample) are left out.
     */
    synchronized Map<String, Double> rates(Map<String, Double> counts) {
        long now = clock.millis();
        if (now - samples.getLast().atMillis() >= SPACING_MILLIS) {
            samples.addLast(new Sample(now, Map.copyOf(counts)));
        }
        while (samples.size() > 1 && secondOldest().atMillis() <= now - windowMillis) {
            samples.removeFirst();
        }
        Sample base = samples.getFirst();
        long elapsed = now - base.atMillis();
        Map<String, Double> rates = new LinkedHashMap<>();
        if (elapsed > 0) {
            counts.forEach(
                    (key, count) -> rates.put(key, (count - base.counts().getOrDefault(key, 0.0)) * 1000.0 / elapsed));
        }
        return rates;
    }

    private Sample secondOldest() {
        Iterator<Sample> it = samples.iterator();
        it.next();
        return it.next();
    }
}
