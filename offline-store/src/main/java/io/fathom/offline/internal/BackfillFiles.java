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

    private final FileStore store;
    private final OfflineStoreConfig config;
    private final String view;
    private final SnapshotSchema schema;
    private final int bucket;
    private final LatestStates latest;
    private final long nowMillis;
    private final EntityStateCodec states = new EntityStateCodec();
    private final SnapshotCodec snapshots = new SnapshotCodec();
    private final Map<LocalDate, SnapshotFile> files = new TreeMap<>();
    private long sequence;

    BackfillFiles(
            FileStore store,
            OfflineStoreConfig config,
            String view,
            SnapshotSchema schema,
            int bucket,
            LatestStates latest,
            long nowMillis) {
        this.store = store;
        this.config = config;
        this.view = view;
        this.schema = schema;
        this.bucket = bucket;
        this.latest = latest;
        this.nowMillis = nowMillis;
    }

    /** The topic name of a view's backfilled snapshot files. */
    static String topic(String view) {
        return "backfill." + view;
    }

    @Override
    public void snapshot(String entityKey, VersionedState state, Map<String, Object> values) throws IOException {
        long eventTs = state.state().getLatestEventTs();
        byte[] bytes = snapshots.encode(view, entityKey, eventTs, eventTs, states.encode(state), values);
        LocalDate date = Layout.date(eventTs);
        SnapshotFile file = files.get(date);
        if (file == null) {
            file = SnapshotFile.open(
                    store,
                    config.effectiveFileCommit(),
                    config.localTempDir(),
                    schema.schema(),
                    ROW_GROUP_BYTES,
                    Layout.viewDir(view),
                    TMP_TAG,
                    topic(view),
                    bucket,
                    sequence,
                    date,
                    nowMillis);
            files.put(date, file);
        }
        file.write(schema.row(snapshots.decode(bytes), bucket, sequence), sequence);
        sequence++;
    }

    @Override
    public void latest(String entityKey, VersionedState state) {
        latest.accept(entityKey, state);
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
