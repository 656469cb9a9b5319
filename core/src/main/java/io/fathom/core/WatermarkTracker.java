package io.fathom.core;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task's watermark over a topic read through several partitions (docs/semantics.md, "Event time and arrival
 * order"): the smallest, over the topic's partitions, of the greatest event time seen from that partition. Ingest's
 * view tasks keep one per view over its source topic (the re-keying carries each event's source partition; a task
 * counts only the events that reach it, so its watermark is at or behind the view's); the monitor's drift windows
 * keep one per view over its snapshot topic (the re-keying by view carries each snapshot's partition).
 *
 * <ul>
 *   <li><b>Idleness.</b> A partition that has sent nothing for {@code idleTimeout} (by the clock) is left out of
 *       the minimum until it sends again, as Flink's {@code withIdleness}: one quiet partition cannot hold the
 *       watermark back for ever. Partitions not heard from yet count as having sent nothing since the tracker
 *       started: the known ones ({@code 0} to {@code partitions - 1}) hold the watermark back for the first
 *       {@code idleTimeout}; when their number is not known ({@code partitions == 0}), the watermark does not
 *       advance at all during that time, since any partition might still be busy. A partition beyond the known
 *       ones joins when it first sends.
 *   <li><b>Never back.</b> The watermark only moves forward: a partition that comes back from idleness behind it
 *       does not lower it (its events too far behind are late). It starts from a restored value (what the task
 *       had reached before a restart) or from {@link Long#MIN_VALUE}, "nothing is late".
 *   <li><b>When it moves.</b> It is worked out when asked: at each event ({@link #observe}) and by {@link
 *       #watermark()}.
 * </ul>
 *
 * Pure and single-threaded: one tracker per view task, fed in the task's order.
 */
public final class WatermarkTracker {
    /**
     * The idle timeout ingest's and the monitor's watermarks use by default: a minute, far longer than the gaps
     * between a busy partition's events, short enough that a partition that stopped does not hold the watermark
     * back for long.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);

    private final long idleMillis;
    private final Clock clock;
    private final long startedAt;
    private final boolean partitionsKnown;
    private final Map<Integer, Progress> partitions = new HashMap<>();
    private long watermark;

    /** What is known of one partition: its greatest event time and when it last sent. */
    private record Progress(long maxEventTs, long lastSeenAt) {}

    /**
     * @param partitions how many partitions the source topic has, or 0 if that is not known
     * @param restored the watermark to start from: what the task reached before a restart, or {@link
     *     Long#MIN_VALUE}
     */
    public WatermarkTracker(Duration idleTimeout, int partitions, Clock clock, long restored) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, was " + idleTimeout);
        }
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be 0 (not known) or more, was " + partitions);
        }
        this.idleMillis = idleTimeout.toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.millis();
        this.partitionsKnown = partitions > 0;
        this.watermark = restored;
        for (int partition = 0; partition < partitions; partition++) {
            this.partitions.put(partition, new Progress(Long.MIN_VALUE, startedAt));
        }
    }

    /**
     * Records an event from {@code partition} and returns the watermark after it, the one to judge its lateness
     * by. The event cannot be late by it unless its partition is behind the watermark already.
     */
    public long observe(int partition, long eventTs) {
        long now = clock.millis();
        partitions.merge(
                partition,
                new Progress(eventTs, now),
                (old, update) -> new Progress(Math.max(old.maxEventTs(), eventTs), now));
        return advance(now);
    }

    /** The watermark now: it may have moved since the last event, as partitions went idle. */
    public long watermark() {
        return advance(clock.millis());
    }

    private long advance(long now) {
        if (!partitionsKnown && now - startedAt < idleMillis) {
            return watermark; // a partition not heard from yet may still be busy
        }
        long min = Long.MAX_VALUE;
        boolean anyActive = false;
        for (Progress progress : partitions.values()) {
            if (now - progress.lastSeenAt() < idleMillis) {
                anyActive = true;
                min = Math.min(min, progress.maxEventTs());
            }
        }
        if (anyActive && min > watermark) {
            watermark = min; // with every partition idle there is nothing to go by: it stays
        }
        return watermark;
    }
}
