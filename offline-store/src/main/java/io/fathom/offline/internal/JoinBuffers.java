package io.fathom.offline.internal;

import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.offline.internal.JoinRecords.SnapshotRef;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The join's in-memory sort buffers ({@link ExternalSorter.Buffer}): its rows, snapshots, events and results
 * held in columns of primitive arrays rather than as objects — a few dozen bytes an item instead of a hundred
 * or more with its key, boxed values and arrays, and nothing the garbage collector has to trace or copy. The
 * join holds millions of them for seconds, long enough to be copied into the old generation and collected
 * there; as columns they cost the collector nothing. Objects are made again only as the sorted items are read.
 *
 * <p>The keyed buffers (rows, snapshots, events: {@link Keyed}) only append as items come, in no entity order
 * (a lookup per item in a table of all entities costs a cache miss or more each). {@link Keyed#sorted}, run
 * on one bucket at a time, finds the distinct keys with a small open-addressing table, orders them by {@link
 * JoinRecords#compareKeys}, places the items by entity with a counting sort and sorts each entity's items by
 * the rest of the order (a check and nothing more when they came in order, as an archive's events mostly do),
 * then puts every column in that order one column at a time — reads as scattered as reading each item's
 * columns, but independent of each other, so that the processor overlaps their cache misses — and hands out
 * items made on the way. A buffer is not added to after {@code sorted}.
 */
final class JoinBuffers {
    private static final int FIRST_CAPACITY = 16;

    private JoinBuffers() {}

    static ExternalSorter.Buffer<RowRef> rows() {
        return new Rows();
    }

    static ExternalSorter.Buffer<SnapshotRef> snapshots() {
        return new Snapshots();
    }

    static ExternalSorter.Buffer<EventRef> events() {
        return new Events();
    }

    static ExternalSorter.Buffer<Result> results() {
        return new Results();
    }

    /** A buffer of items with an entity key, sorted by key ({@link JoinRecords#compareKeys}) then by the rest. */
    abstract static class Keyed<T> implements ExternalSorter.Buffer<T> {
        int size;
        int capacity;
        private int[] hash = new int[0];
        private int[] keyStart = new int[0];
        private char[] keyChars = new char[0];
        private int keyCharCount;
        /** After {@link #sorted}: per item (in sorted order) its entity, an index into {@code keys}. */
        private int[] entity;

        private String[] keys;

        abstract String key(T item);

        /** Stores the columns of item {@code i} other than its key. */
        abstract void store(int i, T item);

        /** Grows the columns other than the key's to {@code capacity}. */
        abstract void growColumns(int capacity);

        /** Whether item {@code a} comes before or with item {@code b} of the same entity. */
        abstract boolean before(int a, int b);

        /** Puts the columns other than the key's in {@code order}. */
        abstract void gatherColumns(int[] order);

        /** Item {@code i}, after {@link #gatherColumns}. */
        abstract T item(int i, String key);

        /** Estimated bytes of an item's columns other than the key's. */
        abstract long columnBytes();

        @Override
        public final void add(T item) {
            if (size == capacity) {
                capacity = capacity == 0 ? FIRST_CAPACITY : capacity + (capacity >> 1);
                hash = Arrays.copyOf(hash, capacity);
                keyStart = Arrays.copyOf(keyStart, capacity);
                growColumns(capacity);
            }
            String key = key(item);
            int i = size++;
            hash[i] = key.hashCode();
            keyStart[i] = keyCharCount;
            if (keyCharCount + key.length() > keyChars.length) {
                keyChars = Arrays.copyOf(keyChars, Math.max(keyCharCount + key.length(), keyChars.length * 3 / 2));
            }
            key.getChars(0, key.length(), keyChars, keyCharCount);
            keyCharCount += key.length();
            store(i, item);
        }

        @Override
        public final long size() {
            return size;
        }

        @Override
        public long bytes() {
            return 256 + (8 + columnBytes()) * capacity + 2L * keyChars.length;
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
        public final Iterator<T> sorted() {
            // The distinct keys: of[i] for each item, first[e] an item of entity e.
            int[] of = new int[size];
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
                        of[i] = entities - 1;
                        break;
                    }
                    if (sameKey(first[e], i)) {
                        of[i] = e;
                        break;
                    }
                    slot = (slot + 1) & mask;
                }
            }
            String[] distinct = new String[entities];
            Integer[] byKey = new Integer[entities];
            for (int e = 0; e < entities; e++) {
                distinct[e] = new String(keyChars, keyStart[first[e]], keyLength(first[e]));
                byKey[e] = e;
            }
            Arrays.sort(byKey, (a, b) -> JoinRecords.compareKeys(distinct[a], distinct[b]));
            int[] rank = new int[entities];
            for (int r = 0; r < entities; r++) {
                rank[byKey[r]] = r;
            }
            // Counting sort by entity rank, keeping arrival order within an entity; then each entity's items.
            int[] start = new int[entities + 1];
            for (int i = 0; i < size; i++) {
                start[rank[of[i]] + 1]++;
            }
            for (int r = 0; r < entities; r++) {
                start[r + 1] += start[r];
            }
            int[] order = new int[size];
            int[] next = Arrays.copyOf(start, entities);
            for (int i = 0; i < size; i++) {
                order[next[rank[of[i]]]++] = i;
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
            entity = new int[size];
            for (int k = 0; k < size; k++) {
                entity[k] = of[order[k]];
            }
            keys = distinct;
            gatherColumns(order);
            return new Iterator<>() {
                private int k;

                @Override
                public boolean hasNext() {
                    return k < size;
                }

                @Override
                public T next() {
                    if (k >= size) {
                        throw new NoSuchElementException();
                    }
                    int i = k++;
                    return item(i, keys[entity[i]]);
                }
            };
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

    static long[] gather(long[] column, int[] order) {
        long[] sorted = new long[order.length];
        for (int k = 0; k < order.length; k++) {
            sorted[k] = column[order[k]];
        }
        return sorted;
    }

    static int[] gather(int[] column, int[] order) {
        int[] sorted = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            sorted[k] = column[order[k]];
        }
        return sorted;
    }

    /** Rows in (key, t, row index) order: {@link JoinRecords#ROW_ORDER}. */
    private static final class Rows extends Keyed<RowRef> {
        private long[] t = new long[0];
        private long[] rowIndex = new long[0];

        @Override
        String key(RowRef row) {
            return row.key();
        }

        @Override
        void store(int i, RowRef row) {
            t[i] = row.t();
            rowIndex[i] = row.rowIndex();
        }

        @Override
        void growColumns(int capacity) {
            t = Arrays.copyOf(t, capacity);
            rowIndex = Arrays.copyOf(rowIndex, capacity);
        }

        @Override
        boolean before(int a, int b) {
            return t[a] != t[b] ? t[a] < t[b] : rowIndex[a] <= rowIndex[b];
        }

        @Override
        void gatherColumns(int[] order) {
            t = gather(t, order);
            rowIndex = gather(rowIndex, order);
        }

        @Override
        RowRef item(int i, String key) {
            return new RowRef(key, t[i], rowIndex[i]);
        }

        @Override
        long columnBytes() {
            return 16;
        }
    }

    /**
     * Snapshots in {@link JoinRecords#SNAPSHOT_ORDER}; the states' bytes in one pool, copied out as each snapshot
     * is read.
     */
    private static final class Snapshots extends Keyed<SnapshotRef> {
        private long[] qualifiesAt = new long[0];
        private long[] eventTs = new long[0];
        private long[] createdTs = new long[0];
        private long[] offset = new long[0];
        private long[] stateStart = new long[0];
        private int[] stateLength = new int[0];
        private byte[][] pages = new byte[0][];
        private int pageCount;
        private int pageUsed;

        /** Pages of state bytes double from 1 KiB to 1 MiB, so that a small buffer holds a small page. */
        private static final int FIRST_PAGE = 1 << 10;

        private static final int MAX_PAGE = 1 << 20;

        @Override
        String key(SnapshotRef snapshot) {
            return snapshot.key();
        }

        @Override
        void store(int i, SnapshotRef snapshot) {
            qualifiesAt[i] = snapshot.qualifiesAt();
            eventTs[i] = snapshot.eventTs();
            createdTs[i] = snapshot.createdTs();
            offset[i] = snapshot.offset();
            byte[] state = snapshot.state();
            if (pageCount == 0 || pageUsed + state.length > pages[pageCount - 1].length) {
                if (pageCount == pages.length) {
                    pages = Arrays.copyOf(pages, Math.max(4, pageCount * 2));
                }
                int size = pageCount == 0 ? FIRST_PAGE : Math.min(MAX_PAGE, 2 * pages[pageCount - 1].length);
                pages[pageCount++] = new byte[Math.max(size, state.length)];
                pageUsed = 0;
            }
            System.arraycopy(state, 0, pages[pageCount - 1], pageUsed, state.length);
            stateStart[i] = ((long) (pageCount - 1) << 32) | pageUsed;
            stateLength[i] = state.length;
            pageUsed += state.length;
        }

        @Override
        void growColumns(int capacity) {
            qualifiesAt = Arrays.copyOf(qualifiesAt, capacity);
            eventTs = Arrays.copyOf(eventTs, capacity);
            createdTs = Arrays.copyOf(createdTs, capacity);
            offset = Arrays.copyOf(offset, capacity);
            stateStart = Arrays.copyOf(stateStart, capacity);
            stateLength = Arrays.copyOf(stateLength, capacity);
        }

        @Override
        boolean before(int a, int b) {
            if (qualifiesAt[a] != qualifiesAt[b]) {
                return qualifiesAt[a] < qualifiesAt[b];
            }
            if (eventTs[a] != eventTs[b]) {
                return eventTs[a] < eventTs[b];
            }
            if (createdTs[a] != createdTs[b]) {
                return createdTs[a] < createdTs[b];
            }
            return offset[a] <= offset[b];
        }

        @Override
        void gatherColumns(int[] order) {
            qualifiesAt = gather(qualifiesAt, order);
            eventTs = gather(eventTs, order);
            createdTs = gather(createdTs, order);
            offset = gather(offset, order);
            stateStart = gather(stateStart, order);
            stateLength = gather(stateLength, order);
        }

        @Override
        SnapshotRef item(int i, String key) {
            byte[] page = pages[(int) (stateStart[i] >>> 32)];
            int from = (int) stateStart[i];
            byte[] state = Arrays.copyOfRange(page, from, from + stateLength[i]);
            return new SnapshotRef(key, qualifiesAt[i], eventTs[i], createdTs[i], offset[i], state);
        }

        @Override
        long columnBytes() {
            return 52;
        }

        @Override
        public long bytes() {
            long pageBytes = 0;
            for (int p = 0; p < pageCount; p++) {
                pageBytes += pages[p].length;
            }
            return super.bytes() + pageBytes;
        }
    }

    /** Events in {@link JoinRecords#EVENT_ORDER}, their values in {@link Values}. */
    private static final class Events extends Keyed<EventRef> {
        private long[] ts = new long[0];
        private int[] origin = new int[0];
        private long[] position = new long[0];
        private final Values values = new Values();

        @Override
        String key(EventRef event) {
            return event.key();
        }

        @Override
        void store(int i, EventRef event) {
            ts[i] = event.ts();
            origin[i] = event.origin();
            position[i] = event.position();
            values.store(i, event.fields());
        }

        @Override
        void growColumns(int capacity) {
            ts = Arrays.copyOf(ts, capacity);
            origin = Arrays.copyOf(origin, capacity);
            position = Arrays.copyOf(position, capacity);
            values.grow(capacity);
        }

        @Override
        boolean before(int a, int b) {
            if (ts[a] != ts[b]) {
                return ts[a] < ts[b];
            }
            if (origin[a] != origin[b]) {
                return origin[a] < origin[b];
            }
            return position[a] <= position[b];
        }

        @Override
        void gatherColumns(int[] order) {
            ts = gather(ts, order);
            origin = gather(origin, order);
            position = gather(position, order);
            values.gather(order);
        }

        @Override
        EventRef item(int i, String key) {
            return new EventRef(key, ts[i], origin[i], position[i], values.get(i));
        }

        @Override
        long columnBytes() {
            return 20 + values.bytesPerItem();
        }
    }

    /**
     * Arrays of values of one width (a view's fields or features), by column: per value a type tag and its bits
     * ({@code Long}, {@code Double}) or the value itself (anything else, in an object column made when first
     * needed). An array of another width than the first is kept as it is.
     */
    static final class Values {
        private static final byte NULL = 0;
        private static final byte LONG = 1;
        private static final byte DOUBLE = 2;
        private static final byte OBJECT = 3;

        private int capacity;
        private int width = -1;
        private byte[][] tags = new byte[0][];
        private long[][] bits = new long[0][];
        private Object[][] objects = new Object[0][];
        private Object[][] odd;

        void grow(int newCapacity) {
            capacity = newCapacity;
            for (int f = 0; f < tags.length; f++) {
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

        void store(int i, Object[] values) {
            if (width < 0) {
                width = values.length;
                tags = new byte[width][capacity];
                bits = new long[width][capacity];
                objects = new Object[width][];
            }
            if (values.length != width) {
                if (odd == null) {
                    odd = new Object[capacity][];
                }
                odd[i] = values;
                return;
            }
            for (int f = 0; f < width; f++) {
                Object value = values[f];
                if (value == null) {
                    tags[f][i] = NULL;
                } else if (value instanceof Long l) {
                    tags[f][i] = LONG;
                    bits[f][i] = l;
                } else if (value instanceof Double d) {
                    tags[f][i] = DOUBLE;
                    bits[f][i] = Double.doubleToRawLongBits(d);
                } else {
                    tags[f][i] = OBJECT;
                    if (objects[f] == null) {
                        objects[f] = new Object[capacity];
                    }
                    objects[f][i] = value;
                }
            }
        }

        Object[] get(int i) {
            if (odd != null && odd[i] != null) {
                return odd[i];
            }
            Object[] values = new Object[Math.max(0, width)];
            for (int f = 0; f < values.length; f++) {
                values[f] = switch (tags[f][i]) {
                    case LONG -> bits[f][i];
                    case DOUBLE -> Double.longBitsToDouble(bits[f][i]);
                    case OBJECT -> objects[f][i];
                    default -> null;
                };
            }
            return values;
        }

        void gather(int[] order) {
            for (int f = 0; f < tags.length; f++) {
                byte[] sortedTags = new byte[order.length];
                for (int k = 0; k < order.length; k++) {
                    sortedTags[k] = tags[f][order[k]];
                }
                tags[f] = sortedTags;
                bits[f] = JoinBuffers.gather(bits[f], order);
                if (objects[f] != null) {
                    Object[] sortedObjects = new Object[order.length];
                    for (int k = 0; k < order.length; k++) {
                        sortedObjects[k] = objects[f][order[k]];
                    }
                    objects[f] = sortedObjects;
                }
            }
            if (odd != null) {
                Object[][] sortedOdd = new Object[order.length][];
                for (int k = 0; k < order.length; k++) {
                    sortedOdd[k] = odd[order[k]];
                }
                odd = sortedOdd;
            }
        }

        /** Estimated bytes per item: 9 a value, and for object columns a reference and the object. */
        long bytesPerItem() {
            long bytes = 9L * Math.max(0, width);
            for (Object[] column : objects) {
                bytes += column == null ? 0 : 4 + 24;
            }
            if (odd != null) {
                bytes += 4 + 16 + 24L * Math.max(1, width);
            }
            return bytes;
        }
    }

    /**
     * Results in {@link JoinRecords#RESULT_ORDER}: by row index and view, with a counting sort when the buffer's
     * row indexes are dense (as when they all fit in memory), else a merge sort. A result's values have its
     * view's width, so each view's values are kept in their own {@link Values}.
     */
    private static final class Results implements ExternalSorter.Buffer<Result> {
        private int size;
        private int capacity;
        private long[] rowIndex = new long[0];
        private int[] view = new int[0];
        private long[] eventTs = new long[0];
        /** Per view, its results' values, by position in the buffer. */
        private Values[] values = new Values[0];

        @Override
        public void add(Result result) {
            if (size == capacity) {
                capacity = capacity == 0 ? FIRST_CAPACITY : capacity + (capacity >> 1);
                rowIndex = Arrays.copyOf(rowIndex, capacity);
                view = Arrays.copyOf(view, capacity);
                eventTs = Arrays.copyOf(eventTs, capacity);
                for (Values v : values) {
                    if (v != null) {
                        v.grow(capacity);
                    }
                }
            }
            int v = result.view();
            if (v >= values.length) {
                values = Arrays.copyOf(values, v + 1);
            }
            if (values[v] == null) {
                values[v] = new Values();
                values[v].grow(capacity);
            }
            int i = size++;
            rowIndex[i] = result.rowIndex();
            view[i] = v;
            eventTs[i] = result.snapshotEventTs();
            values[v].store(i, result.values());
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long bytes() {
            long perItem = 20;
            for (Values v : values) {
                perItem += v == null ? 0 : v.bytesPerItem();
            }
            return 256 + perItem * capacity;
        }

        @Override
        public Iterator<Result> sorted() {
            int[] order = order();
            return new Iterator<>() {
                private int k;

                @Override
                public boolean hasNext() {
                    return k < size;
                }

                @Override
                public Result next() {
                    if (k >= size) {
                        throw new NoSuchElementException();
                    }
                    int i = order[k++];
                    return new Result(rowIndex[i], view[i], eventTs[i], values[view[i]].get(i));
                }
            };
        }

        private int[] order() {
            int[] order = new int[size];
            if (size == 0) {
                return order;
            }
            long min = Long.MAX_VALUE;
            long max = Long.MIN_VALUE;
            for (int i = 0; i < size; i++) {
                min = Math.min(min, rowIndex[i]);
                max = Math.max(max, rowIndex[i]);
            }
            if (max - min < 4L * size) {
                int[] start = new int[(int) (max - min) + 2];
                for (int i = 0; i < size; i++) {
                    start[(int) (rowIndex[i] - min) + 1]++;
                }
                for (int r = 1; r < start.length; r++) {
                    start[r] += start[r - 1];
                }
                for (int i = 0; i < size; i++) {
                    order[start[(int) (rowIndex[i] - min)]++] = i;
                }
                // Within a row, its results by view (a row has one result per view at most).
                for (int k = 1; k < size; k++) {
                    int item = order[k];
                    int j = k - 1;
                    while (j >= 0 && rowIndex[order[j]] == rowIndex[item] && view[order[j]] > view[item]) {
                        order[j + 1] = order[j];
                        j--;
                    }
                    order[j + 1] = item;
                }
                return order;
            }
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> {
                int c = Long.compare(rowIndex[a], rowIndex[b]);
                return c != 0 ? c : Integer.compare(view[a], view[b]);
            });
            for (int i = 0; i < size; i++) {
                order[i] = boxed[i];
            }
            return order;
        }
    }
}
