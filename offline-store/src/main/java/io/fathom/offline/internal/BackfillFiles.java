package io.fathom.offline.internal;

import io.fathom.offline.LatestStates;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.schemas.VersionedState;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where one bucket of a backfill puts what it computes: snapshots into the view's snapshot log, one file per
 * UTC date of their event time, named as the offline writer names its files ({@link SnapshotFileName}) with the
 * topic {@code backfill.<view>} ({@link #topic}), the bucket as partition and the bucket's snapshot sequence as
 * offsets; latest states to the {@link LatestStates}. A snapshot is dated and created at its event time, as if
 * the view had been streaming then with nothing late. Files are committed by {@link #commit}, or deleted by
 * {@link #abort}.
 */
final class BackfillFiles implements BackfillWalk.Output, AutoCloseable {
    private static final String TMP_TAG = "backfill-";
    private static final long ROW_GROUP_BYTES = 32L << 20;

    /**
     * What every bucket of one backfill writes with: the store and its configuration, the view, its snapshot
     * schema, where the latest states go, and the time the backfill runs (its files' creation time).
     */
    record Target(
            FileStore store,
            OfflineStoreConfig config,
            String view,
            SnapshotSchema schema,
            LatestStates latest,
            long nowMillis) {}

    private final Target target;
    private final int bucket;
    private final EntityStateCodec states = new EntityStateCodec();
    private final SnapshotCodec snapshots = new SnapshotCodec();
    private final Map<LocalDate, SnapshotFile> files = new TreeMap<>();
    private long sequence;

    BackfillFiles(Target target, int bucket) {
        this.target = target;
        this.bucket = bucket;
    }

    /** The topic name of a view's backfilled snapshot files. */
    static String topic(String view) {
        return "backfill." + view;
    }

    @Override
    public void snapshot(String entityKey, VersionedState state, Map<String, Object> values) throws IOException {
        long eventTs = state.state().getLatestEventTs();
        String view = target.view();
        byte[] bytes = snapshots.encode(view, entityKey, eventTs, eventTs, states.encode(state), values);
        LocalDate date = Layout.date(eventTs);
        SnapshotFile file = files.get(date);
        if (file == null) {
            file = SnapshotFile.open(
                    target.store(),
                    target.config().effectiveFileCommit(),
                    target.config().localTempDir(),
                    target.schema().schema(),
                    ROW_GROUP_BYTES,
                    Layout.viewDir(view),
                    TMP_TAG,
                    topic(view),
                    bucket,
                    sequence,
                    date,
                    target.nowMillis());
            files.put(date, file);
        }
        file.write(target.schema().row(snapshots.decode(bytes), bucket, sequence), sequence);
        sequence++;
    }

    @Override
    public void latest(String entityKey, VersionedState state) {
        target.latest().accept(entityKey, state);
    }

    /** Snapshots written so far. */
    long snapshots() {
        return sequence;
    }

    /** Commits every file, returning how many were written. */
    int commit() throws IOException {
        int committed = 0;
        for (Iterator<SnapshotFile> open = files.values().iterator(); open.hasNext(); ) {
            SnapshotFile file = open.next();
            open.remove();
            if (file.commit() != null) {
                committed++;
            }
        }
        return committed;
    }

    /** Deletes the files not committed. */
    @Override
    public void close() {
        files.values().forEach(SnapshotFile::abort);
        files.clear();
    }
}
