package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorException;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.LiveWindow;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The open drift windows of a task, in memory: per view, the windows by start, each holding one {@link
 * LiveWindow} per feature with the id of the baseline that binned it. Changed windows are written to the
 * changelogged backing store when the task commits ({@link FlushOnCommitStore}).
 *
 * <p>Backing entries, the format the monitor has always stored: key {@code view␀start␀feature} (the start
 * zero-padded to 19 digits, so a view's windows sort by start), value the baseline id (8 bytes, big-endian)
 * followed by {@link LiveWindow#toBytes()}. A window read back stays encoded until it is used with its
 * baseline ({@link Slot#window}); one binned by a replaced baseline never needs decoding.
 */
final class OpenWindowStore extends FlushOnCommitStore {
    private static final char SEP = DriftProcessor.SEP;
    private static final int BASELINE_ID_SIZE = Long.BYTES;

    private final Map<String, NavigableMap<Long, WindowSet>> byView = new HashMap<>();
    private final List<WindowSet> changed = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private WindowSet last;

    OpenWindowStore(KeyValueStore<String, byte[]> backing) {
        super(backing);
    }

    /** One window of a view: a {@link Slot} per feature. */
    static final class WindowSet {
        final String view;
        final long start;
        private final Map<String, Slot> slots = new HashMap<>();
        private boolean removed;
        private boolean changed;
        private LiveWindow[] live;
        private long liveBaselineId;

        private WindowSet(String view, long start) {
            this.view = view;
            this.start = start;
        }

        /** The feature's window, or null if it has none yet. */
        Slot slot(String feature) {
            return slots.get(feature);
        }

        /** Gives the feature a new window, binned by baseline {@code baselineId}, replacing any it had. */
        void put(String feature, long baselineId, LiveWindow window) {
            Slot previous = slots.get(feature);
            slots.put(feature, new Slot(baselineId, window, null, previous != null && previous.stored));
            live = null;
        }

        /**
         * The windows of a baseline's features, in its order, as last given to {@link #windows(long,
         * LiveWindow[])} for that baseline (null if not, or if a window was replaced since).
         */
        LiveWindow[] windows(long baselineId) {
            return live != null && liveBaselineId == baselineId ? live : null;
        }

        /** Remembers the windows of a baseline's features, all of them this set's windows of that baseline. */
        void windows(long baselineId, LiveWindow[] windows) {
            this.live = windows;
            this.liveBaselineId = baselineId;
        }

        /** The features with a window, by name (the order reports are emitted in). */
        List<String> features() {
            List<String> names = new ArrayList<>(slots.keySet());
            Collections.sort(names);
            return names;
        }
    }

    /** One feature's window in one window set: live, or still encoded as read from the backing store. */
    static final class Slot {
        final long baselineId;
        private LiveWindow window;
        private byte[] encoded;
        private boolean stored;

        private Slot(long baselineId, LiveWindow window, byte[] encoded, boolean stored) {
            this.baselineId = baselineId;
            this.window = window;
            this.encoded = encoded;
            this.stored = stored;
        }

        /** The window, decoded on first use with {@code reference}, the feature of the baseline that binned it. */
        LiveWindow window(Baseline.Feature reference) {
            if (window == null) {
                window = LiveWindow.fromBytes(reference, encoded);
                encoded = null;
            }
            return window;
        }
    }

    /** The view's open windows by start (live: changes as windows open and close). */
    NavigableMap<Long, WindowSet> windows(String view) {
        ensureLoaded();
        NavigableMap<Long, WindowSet> windows = byView.get(view);
        return windows == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(windows);
    }

    /** The view's window starting at {@code start}, opened (empty) if it was not. */
    WindowSet open(String view, long start) {
        WindowSet set = last;
        if (set != null && set.start == start && !set.removed && set.view.equals(view)) {
            return set; // consecutive snapshots of a view nearly always fall in the same window
        }
        ensureLoaded();
        set = byView.computeIfAbsent(view, v -> new TreeMap<>()).computeIfAbsent(start, s -> new WindowSet(view, s));
        last = set;
        return set;
    }

    /** Marks a window set as changed: it is written at the next commit. */
    void changed(WindowSet set) {
        if (!set.changed) {
            set.changed = true;
            changed.add(set);
        }
    }

    /** Closes a window set: removed now, its stored entries deleted at the next commit. */
    void remove(WindowSet set) {
        NavigableMap<Long, WindowSet> windows = byView.get(set.view);
        if (windows == null || windows.remove(set.start) != set) {
            throw new IllegalStateException("window " + set.start + " of " + set.view + " is not open");
        }
        set.removed = true;
        set.slots.forEach((feature, slot) -> {
            if (slot.stored) {
                deleted.add(key(set.view, set.start, feature));
            }
        });
    }

    @Override
    void clear() {
        byView.clear();
        changed.clear();
        deleted.clear();
        last = null;
    }

    @Override
    void load(KeyValueIterator<String, byte[]> entries) {
        while (entries.hasNext()) {
            KeyValue<String, byte[]> entry = entries.next();
            int first = entry.key.indexOf(SEP);
            int second = first < 0 ? -1 : entry.key.indexOf(SEP, first + 1);
            if (second < 0 || entry.value == null || entry.value.length < BASELINE_ID_SIZE) {
                throw new MonitorException("the drift window store " + name() + " holds an unreadable entry: key "
                        + entry.key.replace(SEP, '/'));
            }
            String view = entry.key.substring(0, first);
            long start = Long.parseLong(entry.key.substring(first + 1, second));
            String feature = entry.key.substring(second + 1);
            ByteBuffer value = ByteBuffer.wrap(entry.value);
            long baselineId = value.getLong();
            byte[] encoded = new byte[value.remaining()];
            value.get(encoded);
            byView.computeIfAbsent(view, v -> new TreeMap<>())
                    .computeIfAbsent(start, s -> new WindowSet(view, s))
                    .slots
                    .put(feature, new Slot(baselineId, null, encoded, true));
        }
    }

    @Override
    void writeChanges(KeyValueStore<String, byte[]> backing) {
        for (String key : deleted) {
            backing.delete(key);
        }
        deleted.clear();
        for (WindowSet set : changed) {
            set.changed = false;
            if (set.removed) {
                continue; // closed since it changed: its stored entries are deleted above
            }
            set.slots.forEach((feature, slot) -> {
                if (slot.window != null) {
                    byte[] window = slot.window.toBytes();
                    backing.put(
                            key(set.view, set.start, feature),
                            ByteBuffer.allocate(BASELINE_ID_SIZE + window.length)
                                    .putLong(slot.baselineId)
                                    .put(window)
                                    .array());
                    slot.stored = true;
                }
            });
        }
        changed.clear();
    }

    static String key(String view, long start, String feature) {
        Objects.requireNonNull(view, "view");
        if (start < 0) {
            throw new IllegalArgumentException("a window start must not be negative, was " + start);
        }
        String digits = Long.toString(start);
        return view + SEP + "0".repeat(19 - digits.length()) + digits + SEP + feature;
    }
}
