package io.fathom.offline.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/** The items the join sorts, their orders and their spill codecs. */
final class JoinRecords {
    private JoinRecords() {}

    /** An entity row as one view sees it: its entity key, its time, and its position in the input. */
    record RowRef(String key, long t, long rowIndex) {}

    /**
     * A snapshot as the merge needs it. {@code qualifiesAt} is the earliest row time it can serve: its
     * {@code event_ts}, or with as-known-at the later of {@code event_ts} and {@code created_ts}.
     */
    record SnapshotRef(String key, long qualifiesAt, long eventTs, long createdTs, long offset, byte[] state) {
        /** Whether this snapshot wins over another of the same entity: greater (event_ts, created_ts, offset). */
        boolean newerThan(SnapshotRef other) {
            if (eventTs != other.eventTs) {
                return eventTs > other.eventTs;
            }
            if (createdTs != other.createdTs) {
                return createdTs > other.createdTs;
            }
            return offset > other.offset;
        }
    }

    /**
     * An event of the event history as one view needs it: its entity key, event time, where it comes from
     * ({@code origin}: the Kafka partition of an archived event, {@code -1 - n} for the n-th file of a
     * history dataset; {@code position}: its offset, or its row in that file), and the values of the view's
     * fields ({@code ViewPlan.fields()} order). Events of one entity with equal times are added in (origin,
     * position) order; an archived event read twice (same partition and offset) counts once.
     */
    record EventRef(String key, long ts, int origin, long position, Object[] fields) {
        boolean sameEvent(EventRef other) {
            return other != null && ts == other.ts && origin == other.origin && position == other.position;
        }
    }

    /**
     * The feature values of one view for one row, and the time of the state they come from: the {@code
     * event_ts} of the snapshot used, or in event time the latest event time at or before the row's t.
     */
    record Result(long rowIndex, int view, long snapshotEventTs, Object[] values) {}

    /**
     * The order of entity keys in the join's sorts: by {@link String#hashCode} (cached in the string), then by
     * characters. Any total order groups an entity's rows and items together; this one lets a sort order them
     * by a primitive {@code int} first ({@link #keyPrefix}) and compare characters only between keys of equal
     * hash, and compares two different keys mostly without reading their characters.
     */
    static int compareKeys(String a, String b) {
        if (a == b) {
            return 0;
        }
        int c = Integer.compare(a.hashCode(), b.hashCode());
        return c != 0 ? c : a.compareTo(b);
    }

    /** A sort prefix consistent with {@link #compareKeys} (see {@link ExternalSorter}). */
    static int keyPrefix(String key) {
        return key.hashCode();
    }

    // Written out rather than chained with Comparator.comparing: sorting is a large part of the join,
    // and the chained lambdas cost a fifth of its time in profiles.
    static final Comparator<RowRef> ROW_ORDER = (a, b) -> {
        int c = compareKeys(a.key(), b.key());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.t(), b.t());
        return c != 0 ? c : Long.compare(a.rowIndex(), b.rowIndex());
    };

    static final Comparator<SnapshotRef> SNAPSHOT_ORDER = (a, b) -> {
        int c = compareKeys(a.key(), b.key());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.qualifiesAt(), b.qualifiesAt());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.eventTs(), b.eventTs());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.createdTs(), b.createdTs());
        return c != 0 ? c : Long.compare(a.offset(), b.offset());
    };

    /** By entity ({@link #compareKeys}), event time, then origin and position: the order events are added in. */
    static final Comparator<EventRef> EVENT_ORDER = (a, b) -> {
        int c = compareKeys(a.key(), b.key());
        c = c != 0 ? c : Long.compare(a.ts(), b.ts());
        c = c != 0 ? c : Integer.compare(a.origin(), b.origin());
        return c != 0 ? c : Long.compare(a.position(), b.position());
    };

    static final Comparator<Result> RESULT_ORDER = (a, b) -> {
        int c = Long.compare(a.rowIndex(), b.rowIndex());
        return c != 0 ? c : Integer.compare(a.view(), b.view());
    };

    /** A sort prefix consistent with {@link #RESULT_ORDER}: the row index, capped at the {@code int} range. */
    static int resultPrefix(Result result) {
        return (int) Math.min(result.rowIndex(), Integer.MAX_VALUE);
    }

    static final ExternalSorter.Codec<RowRef> ROW_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutputStream out, RowRef row) throws IOException {
            writeString(out, row.key());
            out.writeLong(row.t());
            out.writeLong(row.rowIndex());
        }

        @Override
        public RowRef read(DataInputStream in) throws IOException {
            return new RowRef(readString(in), in.readLong(), in.readLong());
        }

        @Override
        public long estimatedBytes(RowRef row) {
            return 96 + 2L * row.key().length();
        }
    };

    static final ExternalSorter.Codec<SnapshotRef> SNAPSHOT_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutputStream out, SnapshotRef snapshot) throws IOException {
            writeString(out, snapshot.key());
            out.writeLong(snapshot.qualifiesAt());
            out.writeLong(snapshot.eventTs());
            out.writeLong(snapshot.createdTs());
            out.writeLong(snapshot.offset());
            out.writeInt(snapshot.state().length);
            out.write(snapshot.state());
        }

        @Override
        public SnapshotRef read(DataInputStream in) throws IOException {
            String key = readString(in);
            long qualifiesAt = in.readLong();
            long eventTs = in.readLong();
            long createdTs = in.readLong();
            long offset = in.readLong();
            byte[] state = new byte[in.readInt()];
            in.readFully(state);
            return new SnapshotRef(key, qualifiesAt, eventTs, createdTs, offset, state);
        }

        @Override
        public long estimatedBytes(SnapshotRef snapshot) {
            return 136 + 2L * snapshot.key().length() + snapshot.state().length;
        }
    };

    static final ExternalSorter.Codec<EventRef> EVENT_CODEC = codec(
            (out, event) -> {
                writeString(out, event.key());
                out.writeLong(event.ts());
                out.writeInt(event.origin());
                out.writeLong(event.position());
                writeValues(out, event.fields());
            },
            in -> new EventRef(readString(in), in.readLong(), in.readInt(), in.readLong(), readValues(in)),
            event -> 64 + 2L * event.key().length() + valuesBytes(event.fields()));

    /**
     * How the join sorts and spills one kind of item, and the entity key that buckets it; the order compares
     * keys first, with {@link #compareKeys}. {@code buffers} makes a sorter's in-memory buffers.
     */
    record Items<T>(
            Comparator<T> order,
            ExternalSorter.Codec<T> codec,
            Function<T, String> key,
            Supplier<ExternalSorter.Buffer<T>> buffers) {
        /** The sort prefix of an item: its key's ({@link #keyPrefix}). */
        int prefix(T item) {
            return keyPrefix(key.apply(item));
        }
    }

    static final Items<SnapshotRef> SNAPSHOTS = new Items<>(
            SNAPSHOT_ORDER,
            SNAPSHOT_CODEC,
            SnapshotRef::key,
            () -> ExternalSorter.listBuffer(SNAPSHOT_ORDER, s -> keyPrefix(s.key()), SNAPSHOT_CODEC));

    static final Items<EventRef> EVENTS = new Items<>(EVENT_ORDER, EVENT_CODEC, EventRef::key, EventBuffer::new);

    /**
     * Events held in columns rather than as objects: per event its entity key's hash and characters (in one
     * shared {@code char} pool), time, origin and position, and per field a type tag and the value's bits
     * ({@code Long}, {@code Double}) or the value itself (anything else); about 50 bytes an event instead of
     * the 150 of an {@link EventRef} with its key, values array and boxed values, and nothing the garbage
     * collector has to trace or copy. Adding only appends (the scan's events come in no entity order, and a
     * lookup per event in a table of all entities costs a cache miss or more each); {@link #sorted}, which runs
     * on one bucket's events at a time, finds the distinct keys with a small open-addressing table, orders them
     * by {@link #compareKeys}, places the events by entity with a counting sort and sorts each entity's events
     * by (time, origin, position) — a check and nothing more when they arrived in order, as an archive's mostly
     * do — puts the columns in that order, and hands out {@code EventRef}s made on the way, in {@link
     * #EVENT_ORDER}. The buffer is not added to after {@code sorted}.
     */
    static final class EventBuffer implements ExternalSorter.Buffer<EventRef> {
        private static final byte NULL_VALUE = 0;
        private static final byte LONG_VALUE = 1;
        private static final byte DOUBLE_VALUE = 2;
        private static final byte OBJECT_VALUE = 3;
        private static final int FIRST_CAPACITY = 256;

        private int size;
        private int[] hash = new int[0];
        private int[] keyStart = new int[0];
        private char[] keyChars = new char[0];
        private int keyCharCount;
        private long[] ts = new long[0];
        private int[] origin = new int[0];
        private long[] position = new long[0];
        private int width = -1;
        private byte[][] tags;
        private long[][] bits;
        private Object[][] objects;
        /** Values arrays of another width than the first event's (never, from one view's reader), by event. */
        private Object[][] odd;

        @Override
        public void add(EventRef event) {
            if (size == ts.length) {
                grow();
            }
            String key = event.key();
            int i = size++;
            hash[i] = key.hashCode();
            keyStart[i] = keyCharCount;
            if (keyCharCount + key.length() > keyChars.length) {
                keyChars = Arrays.copyOf(keyChars, Math.max(keyCharCount + key.length(), keyChars.length * 3 / 2));
            }
            key.getChars(0, key.length(), keyChars, keyCharCount);
            keyCharCount += key.length();
            ts[i] = event.ts();
            origin[i] = event.origin();
            position[i] = event.position();
            Object[] values = event.fields();
            if (width < 0) {
                setWidth(values.length);
            }
            if (values.length != width) {
                if (odd == null) {
                    odd = new Object[ts.length][];
                }
                odd[i] = values;
                return;
            }
            for (int f = 0; f < width; f++) {
                Object value = values[f];
                if (value == null) {
                    tags[f][i] = NULL_VALUE;
                } else if (value instanceof Long l) {
                    tags[f][i] = LONG_VALUE;
                    bits[f][i] = l;
                } else if (value instanceof Double d) {
                    tags[f][i] = DOUBLE_VALUE;
                    bits[f][i] = Double.doubleToRawLongBits(d);
                } else {
                    tags[f][i] = OBJECT_VALUE;
                    if (objects[f] == null) {
                        objects[f] = new Object[ts.length];
                    }
                    objects[f][i] = value;
                }
            }
        }

        private void setWidth(int fields) {
            width = fields;
            tags = new byte[fields][ts.length];
            bits = new long[fields][ts.length];
            objects = new Object[fields][];
        }

        private void grow() {
            int capacity = ts.length == 0 ? FIRST_CAPACITY : ts.length + (ts.length >> 1);
            hash = Arrays.copyOf(hash, capacity);
            keyStart = Arrays.copyOf(keyStart, capacity);
            ts = Arrays.copyOf(ts, capacity);
            origin = Arrays.copyOf(origin, capacity);
            position = Arrays.copyOf(position, capacity);
            for (int f = 0; f < Math.max(0, width); f++) {
                tags[f] = Arrays.copyOf(tags[f], capacity);
                bits[f] = Arrays.copyOf(bits[f], capacity);
                if (objects[f] != null) {
                    objects[f] = Arrays.copyOf(objects[f], capacity);
                }
            }
            if (odd != null) {
                odd = Arrays.copyOf(odd, capacity);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long bytes() {
            long perEvent = 32 + 9L * Math.max(0, width);
            if (objects != null) {
                for (Object[] column : objects) {
                    perEvent += column == null ? 0 : 4 + 16;
                }
            }
            if (odd != null) {
                perEvent += 4 + 16 + 16L * width;
            }
            return 256 + perEvent * ts.length + 2L * keyChars.length;
        }

        private int keyLength(int i) {
            return (i + 1 < size ? keyStart[i + 1] : keyCharCount) - keyStart[i];
        }

        private boolean sameKey(int a, int b) {
            if (hash[a] != hash[b]) {
                return false;
            }
            int length = keyLength(a);
            return length == keyLength(b)
                    && Arrays.equals(
                            keyChars, keyStart[a], keyStart[a] + length, keyChars, keyStart[b], keyStart[b] + length);
        }

        @Override
        public Iterator<EventRef> sorted() {
            // The distinct keys: entity[i] for each event, first[e] an event of entity e.
            int[] entity = new int[size];
            int[] first = new int[16];
            int entities = 0;
            int[] table = new int[64];
            for (int i = 0; i < size; i++) {
                if (2 * (entities + 1) > table.length) {
                    table = rehash(table, first, entities);
                }
                int mask = table.length - 1;
                int slot = mix(hash[i]) & mask;
                while (true) {
                    int e = table[slot] - 1;
                    if (e < 0) {
                        if (entities == first.length) {
                            first = Arrays.copyOf(first, entities * 2);
                        }
                        first[entities] = i;
                        table[slot] = ++entities;
                        entity[i] = entities - 1;
                        break;
                    }
                    if (sameKey(first[e], i)) {
                        entity[i] = e;
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            String[] keys = new String[entities];
            Integer[] byKey = new Integer[entities];
            for (int e = 0; e < entities; e++) {
                keys[e] = new String(keyChars, keyStart[first[e]], keyLength(first[e]));
                byKey[e] = e;
            }
            Arrays.sort(byKey, (a, b) -> compareKeys(keys[a], keys[b]));
            int[] rank = new int[entities];
            for (int r = 0; r < entities; r++) {
                rank[byKey[r]] = r;
            }
            // Counting sort by entity rank, keeping arrival order within an entity.
            int[] start = new int[entities + 1];
            for (int i = 0; i < size; i++) {
                start[rank[entity[i]] + 1]++;
            }
            for (int r = 0; r < entities; r++) {
                start[r + 1] += start[r];
            }
            int[] order = new int[size];
            int[] next = Arrays.copyOf(start, entities);
            for (int i = 0; i < size; i++) {
                order[next[rank[entity[i]]]++] = i;
            }
            int[] scratch = new int[0];
            for (int r = 0; r < entities; r++) {
                int from = start[r];
                int to = start[r + 1];
                if (!inOrder(order, from, to)) {
                    if (scratch.length < to - from) {
                        scratch = new int[to - from];
                    }
                    mergeSort(order, from, to, scratch);
                }
            }
            gather(order, entity);
            return new Iterator<>() {
                private int k;

                @Override
                public boolean hasNext() {
                    return k < size;
                }

                @Override
                public EventRef next() {
                    if (k >= size) {
                        throw new java.util.NoSuchElementException();
                    }
                    int i = k++;
                    return new EventRef(keys[entity[i]], ts[i], origin[i], position[i], values(i));
                }
            };
        }

        /**
         * Puts every column in {@code order}, one column at a time: the reads are as scattered as reading each
         * event's columns in that order, but independent of each other, so that the processor overlaps their
         * cache misses; the events are then read in sequence.
         */
        private void gather(int[] order, int[] entity) {
            int[] sortedEntity = new int[size];
            long[] sortedTs = new long[size];
            int[] sortedOrigin = new int[size];
            long[] sortedPosition = new long[size];
            for (int k = 0; k < size; k++) {
                sortedEntity[k] = entity[order[k]];
            }
            for (int k = 0; k < size; k++) {
                sortedTs[k] = ts[order[k]];
            }
            for (int k = 0; k < size; k++) {
                sortedOrigin[k] = origin[order[k]];
            }
            for (int k = 0; k < size; k++) {
                sortedPosition[k] = position[order[k]];
            }
            System.arraycopy(sortedEntity, 0, entity, 0, size);
            ts = sortedTs;
            origin = sortedOrigin;
            position = sortedPosition;
            for (int f = 0; f < Math.max(0, width); f++) {
                byte[] sortedTags = new byte[size];
                long[] sortedBits = new long[size];
                for (int k = 0; k < size; k++) {
                    sortedTags[k] = tags[f][order[k]];
                }
                for (int k = 0; k < size; k++) {
                    sortedBits[k] = bits[f][order[k]];
                }
                tags[f] = sortedTags;
                bits[f] = sortedBits;
                if (objects[f] != null) {
                    Object[] sortedObjects = new Object[size];
                    for (int k = 0; k < size; k++) {
                        sortedObjects[k] = objects[f][order[k]];
                    }
                    objects[f] = sortedObjects;
                }
            }
            if (odd != null) {
                Object[][] sortedOdd = new Object[size][];
                for (int k = 0; k < size; k++) {
                    sortedOdd[k] = odd[order[k]];
                }
                odd = sortedOdd;
            }
        }

        private int[] rehash(int[] table, int[] first, int entities) {
            int[] bigger = new int[table.length * 2];
            int mask = bigger.length - 1;
            for (int e = 0; e < entities; e++) {
                int slot = mix(hash[first[e]]) & mask;
                while (bigger[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                bigger[slot] = e + 1;
            }
            return bigger;
        }

        private static int mix(int h) {
            h *= 0x9E3779B9;
            return h ^ (h >>> 16);
        }

        private Object[] values(int i) {
            if (odd != null && odd[i] != null) {
                return odd[i];
            }
            Object[] values = new Object[width];
            for (int f = 0; f < width; f++) {
                values[f] = switch (tags[f][i]) {
                    case LONG_VALUE -> bits[f][i];
                    case DOUBLE_VALUE -> Double.longBitsToDouble(bits[f][i]);
                    case OBJECT_VALUE -> objects[f][i];
                    default -> null;
                };
            }
            return values;
        }

        /** Whether events {@code a} and {@code b} of one entity are in (time, origin, position) order. */
        private boolean before(int a, int b) {
            if (ts[a] != ts[b]) {
                return ts[a] < ts[b];
            }
            if (origin[a] != origin[b]) {
                return origin[a] < origin[b];
            }
            return position[a] <= position[b];
        }

        private boolean inOrder(int[] order, int from, int to) {
            for (int k = from + 1; k < to; k++) {
                if (!before(order[k - 1], order[k])) {
                    return false;
                }
            }
            return true;
        }

        /** A stable top-down merge sort of {@code order[from, to)} by {@link #before}; insertion sort below 32. */
        private void mergeSort(int[] order, int from, int to, int[] scratch) {
            if (to - from <= 32) {
                for (int k = from + 1; k < to; k++) {
                    int item = order[k];
                    int j = k - 1;
                    while (j >= from && !before(order[j], item)) {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = item;
                }
                return;
            }
            int middle = (from + to) >>> 1;
            mergeSort(order, from, middle, scratch);
            mergeSort(order, middle, to, scratch);
            if (before(order[middle - 1], order[middle])) {
                return;
            }
            int length = middle - from;
            System.arraycopy(order, from, scratch, 0, length);
            int left = 0;
            int right = middle;
            int out = from;
            while (left < length && right < to) {
                order[out++] = before(scratch[left], order[right]) ? scratch[left++] : order[right++];
            }
            while (left < length) {
                order[out++] = scratch[left++];
            }
        }
    }

    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int STRING = 3;
    private static final int BOOLEAN = 4;

    // The values array is shared by rows that read the same state at the same time; counted anyway.
    static final ExternalSorter.Codec<Result> RESULT_CODEC = codec(
            (out, result) -> {
                out.writeLong(result.rowIndex());
                out.writeInt(result.view());
                out.writeLong(result.snapshotEventTs());
                writeValues(out, result.values());
            },
            in -> new Result(in.readLong(), in.readInt(), in.readLong(), readValues(in)),
            result -> 56 + valuesBytes(result.values()));

    interface Writer<T> {
        void write(DataOutputStream out, T item) throws IOException;
    }

    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** A codec of three functions. */
    static <T> ExternalSorter.Codec<T> codec(Writer<T> writer, Reader<T> reader, ToLongFunction<T> bytes) {
        return new ExternalSorter.Codec<>() {
            @Override
            public void write(DataOutputStream out, T item) throws IOException {
                writer.write(out, item);
            }

            @Override
            public T read(DataInputStream in) throws IOException {
                return reader.read(in);
            }

            @Override
            public long estimatedBytes(T item) {
                return bytes.applyAsLong(item);
            }
        };
    }

    /** Feature or field values: Long, Double, String, Boolean or null. */
    static void writeValues(DataOutputStream out, Object[] values) throws IOException {
        out.writeInt(values.length);
        for (Object value : values) {
            if (value == null) {
                out.writeByte(NULL);
            } else if (value instanceof Long l) {
                out.writeByte(LONG);
                out.writeLong(l);
            } else if (value instanceof Double d) {
                out.writeByte(DOUBLE);
                out.writeDouble(d);
            } else if (value instanceof String s) {
                out.writeByte(STRING);
                writeString(out, s);
            } else if (value instanceof Boolean b) {
                out.writeByte(BOOLEAN);
                out.writeBoolean(b);
            } else {
                throw new IOException(
                        "cannot spill a value of type " + value.getClass().getName());
            }
        }
    }

    static Object[] readValues(DataInputStream in) throws IOException {
        Object[] values = new Object[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            int tag = in.readByte();
            values[i] = switch (tag) {
                case NULL -> null;
                case LONG -> in.readLong();
                case DOUBLE -> in.readDouble();
                case STRING -> readString(in);
                case BOOLEAN -> in.readBoolean();
                default -> throw new IOException("bad value tag " + tag + " in a spilled item");
            };
        }
        return values;
    }

    static long valuesBytes(Object[] values) {
        long bytes = 16 + 8L * values.length;
        for (Object value : values) {
            bytes += value instanceof String s ? 40 + 2L * s.length() : 16;
        }
        return bytes;
    }

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
