package io.fathom.offline.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.function.Function;
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
     * by a primitive {@code int} first and compare characters only between keys of equal hash (see {@link
     * ExternalSorter}), and compares two different keys mostly without reading their characters.
     */
    static int compareKeys(String a, String b) {
        if (a == b) {
            return 0;
        }
        int c = Integer.compare(a.hashCode(), b.hashCode());
        return c != 0 ? c : a.compareTo(b);
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
     * How the join sorts and spills one kind of item (its order compares keys first, with {@link #compareKeys}),
     * and the entity key that buckets it.
     */
    record Items<T>(ExternalSorter.Kind<T> kind, Function<T, String> key) {}

    static final Items<SnapshotRef> SNAPSHOTS = new Items<>(
            new ExternalSorter.Kind<>(SNAPSHOT_ORDER, SNAPSHOT_CODEC, JoinBuffers::snapshots), SnapshotRef::key);

    static final Items<EventRef> EVENTS =
            new Items<>(new ExternalSorter.Kind<>(EVENT_ORDER, EVENT_CODEC, JoinBuffers::events), EventRef::key);

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

    static final ExternalSorter.Kind<RowRef> ROWS = new ExternalSorter.Kind<>(ROW_ORDER, ROW_CODEC, JoinBuffers::rows);

    static final ExternalSorter.Kind<Result> RESULTS =
            new ExternalSorter.Kind<>(RESULT_ORDER, RESULT_CODEC, JoinBuffers::results);

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
