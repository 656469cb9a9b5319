package io.fathom.offline.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;

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

    /** The feature values of one view for one row, and the event_ts of the snapshot they come from. */
    record Result(long rowIndex, int view, long snapshotEventTs, Object[] values) {}

    // Written out rather than chained with Comparator.comparing: sorting is a large part of the join,
    // and the chained lambdas cost a fifth of its time in profiles.
    static final Comparator<RowRef> ROW_ORDER = (a, b) -> {
        int c = a.key().compareTo(b.key());
        if (c != 0) {
            return c;
        }
        c = Long.compare(a.t(), b.t());
        return c != 0 ? c : Long.compare(a.rowIndex(), b.rowIndex());
    };

    static final Comparator<SnapshotRef> SNAPSHOT_ORDER = (a, b) -> {
        int c = a.key().compareTo(b.key());
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

    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int STRING = 3;
    private static final int BOOLEAN = 4;

    static final ExternalSorter.Codec<Result> RESULT_CODEC = new ExternalSorter.Codec<>() {
        @Override
        public void write(DataOutputStream out, Result result) throws IOException {
            out.writeLong(result.rowIndex());
            out.writeInt(result.view());
            out.writeLong(result.snapshotEventTs());
            out.writeInt(result.values().length);
            for (Object value : result.values()) {
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
                    throw new IOException("cannot spill a feature value of type "
                            + value.getClass().getName());
                }
            }
        }

        @Override
        public Result read(DataInputStream in) throws IOException {
            long rowIndex = in.readLong();
            int view = in.readInt();
            long snapshotEventTs = in.readLong();
            Object[] values = new Object[in.readInt()];
            for (int i = 0; i < values.length; i++) {
                int tag = in.readByte();
                values[i] = switch (tag) {
                    case NULL -> null;
                    case LONG -> in.readLong();
                    case DOUBLE -> in.readDouble();
                    case STRING -> readString(in);
                    case BOOLEAN -> in.readBoolean();
                    default -> throw new IOException("bad value tag " + tag + " in a spilled result");
                };
            }
            return new Result(rowIndex, view, snapshotEventTs, values);
        }

        @Override
        public long estimatedBytes(Result result) {
            // The values array is shared by rows that read the same snapshot at the same time; count it anyway.
            long bytes = 56 + 16 + 8L * result.values().length;
            for (Object value : result.values()) {
                bytes += value instanceof String s ? 40 + 2L * s.length() : 16;
            }
            return bytes;
        }
    };

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
