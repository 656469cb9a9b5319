package io.fathom.monitor.internal;

import io.fathom.core.WatermarkTracker;
import io.fathom.monitor.MonitorException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each view's event-time clock: its watermark over the partitions of its snapshot topic (a {@link WatermarkTracker}:
 * the smallest, over the partitions, of the greatest event time seen from each, a partition silent for the idle
 * timeout left out), so that a backlog read faster from one partition than from another does not close the windows
 * the slower partitions still have snapshots for. For a topic of one partition that is the greatest event time seen.
 *
 * <p>In memory, the watermark written to the changelogged backing store when the task commits ({@link
 * FlushOnCommitStore}); after a restart a view's watermark starts from the stored one and never goes back, and the
 * partitions' progress is learnt again from the snapshots. Backing entries: key the view, value the watermark as 8
 * bytes big-endian (what Kafka's {@code LongSerializer} writes, the format the monitor has always stored: before
 * watermarks, the greatest event time seen, which a restored tracker takes as where it is).
 */
final class ViewClockStore extends FlushOnCommitStore {
    private final WatermarkSettings settings;
    private final Map<String, ViewClock> clocks = new HashMap<>();

    /**
     * How the views' watermarks are kept: the idle timeout and the clock it is measured by, and the partition count
     * of each view's snapshot topic where known (a view left out waits the idle timeout before its watermark first
     * moves, as any of its partitions might still be busy).
     */
    record WatermarkSettings(Duration idleTimeout, Map<String, Integer> snapshotPartitions, Clock clock) {
        WatermarkSettings {
            snapshotPartitions = Map.copyOf(snapshotPartitions);
        }

        WatermarkTracker tracker(String view, long restored) {
            return new WatermarkTracker(idleTimeout, snapshotPartitions.getOrDefault(view, 0), clock, restored);
        }
    }

    private static final class ViewClock {
        final WatermarkTracker tracker;
        long time;
        boolean changed;

        ViewClock(WatermarkTracker tracker, long time, boolean changed) {
            this.tracker = tracker;
            this.time = time;
            this.changed = changed;
        }
    }

    ViewClockStore(KeyValueStore<String, byte[]> backing, WatermarkSettings settings) {
        super(backing);
        this.settings = settings;
    }

    /**
     * Records a snapshot of the view read from {@code partition} of its topic, and returns the view's watermark after
     * it ({@link Long#MIN_VALUE} until its partitions have been heard from or gone idle).
     */
    long advance(String view, int partition, long eventTs) {
        ensureLoaded();
        ViewClock clock = clocks.get(view);
        if (clock == null) {
            clock = new ViewClock(settings.tracker(view, Long.MIN_VALUE), Long.MIN_VALUE, false);
            clocks.put(view, clock);
        }
        long watermark = clock.tracker.observe(partition, eventTs);
        if (watermark != clock.time) {
            clock.time = watermark;
            clock.changed = true;
        }
        return watermark;
    }

    @Override
    void clear() {
        clocks.clear();
    }

    @Override
    void load(KeyValueIterator<String, byte[]> entries) {
        while (entries.hasNext()) {
            KeyValue<String, byte[]> entry = entries.next();
            if (entry.value == null || entry.value.length != Long.BYTES) {
                throw new MonitorException(
                        "the clock store " + name() + " holds an unreadable clock for view " + entry.key);
            }
            long restored = ByteBuffer.wrap(entry.value).getLong();
            clocks.put(entry.key, new ViewClock(settings.tracker(entry.key, restored), restored, false));
        }
    }

    @Override
    void writeChanges(KeyValueStore<String, byte[]> backing) {
        clocks.forEach((view, clock) -> {
            if (clock.changed) {
                backing.put(
                        view,
                        ByteBuffer.allocate(Long.BYTES).putLong(clock.time).array());
                clock.changed = false;
            }
        });
    }
}
