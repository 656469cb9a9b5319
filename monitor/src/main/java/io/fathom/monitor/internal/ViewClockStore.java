package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each view's event-time clock (the largest event time seen), in memory, written to the changelogged backing
 * store when the task commits ({@link FlushOnCommitStore}). Backing entries: key the view, value the clock as 8
 * bytes big-endian (what Kafka's {@code LongSerializer} writes, the format the monitor has always stored).
 */
final class ViewClockStore extends FlushOnCommitStore {
    private final Map<String, Clock> clocks = new HashMap<>();

    private static final class Clock {
        long time;
        boolean changed;

        Clock(long time, boolean changed) {
            this.time = time;
            this.changed = changed;
        }
    }

    ViewClockStore(KeyValueStore<String, byte[]> backing) {
        super(backing);
    }

    /**
     * Moves the view's clock to {@code eventTs} if that is later (the view's first event time starts it), and
     * returns the clock.
     */
    long advance(String view, long eventTs) {
        ensureLoaded();
        Clock clock = clocks.get(view);
        if (clock == null) {
            clocks.put(view, new Clock(eventTs, true));
            return eventTs;
        }
        if (eventTs > clock.time) {
            clock.time = eventTs;
            clock.changed = true;
        }
        return clock.time;
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
            clocks.put(entry.key, new Clock(ByteBuffer.wrap(entry.value).getLong(), false));
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
