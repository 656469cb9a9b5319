package io.fathom.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock in UTC that tests set and advance by hand, for code that takes a {@link Clock} wherever ttls,
 * windows or deadlines matter: a test moves it instead of sleeping. Safe to read from other threads.
 */
public final class MutableClock extends Clock {
    private final AtomicLong millis;
    private final long stepPerRead;

    public MutableClock(long epochMillis) {
        this(epochMillis, 0);
    }

    private MutableClock(long epochMillis, long stepPerRead) {
        this.millis = new AtomicLong(epochMillis);
        this.stepPerRead = stepPerRead;
    }

    /** A clock that moves on by {@code step} at each read (the first read is {@code start + step}). */
    public static MutableClock steppingOnRead(Instant start, Duration step) {
        return new MutableClock(start.toEpochMilli(), step.toMillis());
    }

    public MutableClock(Instant start) {
        this(start.toEpochMilli());
    }

    public void set(long epochMillis) {
        millis.set(epochMillis);
    }

    public void advance(long deltaMillis) {
        millis.addAndGet(deltaMillis);
    }

    public void advance(Duration by) {
        advance(by.toMillis());
    }

    @Override
    public long millis() {
        return stepPerRead == 0 ? millis.get() : millis.addAndGet(stepPerRead);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock stays in UTC");
    }
}
