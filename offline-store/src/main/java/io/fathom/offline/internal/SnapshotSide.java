package io.fathom.offline.internal;

import io.fathom.core.TimeMath;
import io.fathom.offline.OfflineException;
import io.fathom.offline.internal.JoinEngine.ViewRequest;
import io.fathom.offline.internal.JoinRecords.SnapshotRef;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * The snapshot log as the join reads it: only date directories that overlap {@code [t - ttl, t]} for some
 * row t; only the columns {@code entity_key, event_ts, created_ts, kafka_offset, state}; row groups whose
 * {@code event_ts} statistics no row can use are skipped, as are rows no row time or key can use. As known
 * at t, a snapshot qualifies for rows from the later of its {@code event_ts} and {@code created_ts}; {@link
 * SnapshotBucketJoin} picks the newest.
 */
final class SnapshotSide extends JoinSide<SnapshotRef> {
    private static final Schema PROJECTION = SnapshotSchema.joinProjection();

    private final FileStore store;

    SnapshotSide(FileStore store) {
        super(JoinRecords.SNAPSHOTS);
        this.store = store;
    }

    @Override
    List<Callable<Void>> scans(
            int v, ViewRequest view, TimeCoverage coverage, KeyFilter keys, Consumer<SnapshotRef> emit)
            throws IOException {
        FilterCompat.Filter filter = FilterCompat.get(FilterApi.userDefined(
                FilterApi.longColumn(SnapshotSchema.EVENT_TS), new CoveragePredicate(coverage, view.ttlMillis())));
        List<Callable<Void>> tasks = new ArrayList<>();
        for (FileStore.Entry dir : store.list(Layout.viewDir(view.view()))) {
            Optional<LocalDate> date = Layout.parseDateDir(dir.name());
            if (!dir.directory()
                    || date.isEmpty()
                    || !coverage.anyIn(
                            Layout.startOf(date.get()), TimeMath.plus(Layout.endOf(date.get()), view.ttlMillis()))) {
                continue;
            }
            for (String file : DataFiles.in(store, Layout.dateDir(view.view(), date.get()))) {
                counts().schedule(store.describe(file));
                LocalDate day = date.get();
                tasks.add(() -> {
                    scanFile(view, day, file, coverage, keys, filter, emit);
                    return null;
                });
            }
        }
        return tasks;
    }

    private void scanFile(
            ViewRequest view,
            LocalDate date,
            String file,
            TimeCoverage coverage,
            KeyFilter keys,
            FilterCompat.Filter filter,
            Consumer<SnapshotRef> emit)
            throws IOException {
        long ttl = view.ttlMillis();
        try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(store.open(file), PROJECTION, filter)) {
            GenericRecord record;
            while ((record = reader.read()) != null) {
                String key = record.get(0).toString();
                long eventTs = (Long) record.get(1);
                long createdTs = (Long) record.get(2);
                long qualifiesAt = Math.max(eventTs, createdTs);
                if (!coverage.anyIn(qualifiesAt, TimeMath.plus(eventTs, ttl)) || !keys.mightContain(key)) {
                    continue;
                }
                ByteBuffer buffer = (ByteBuffer) record.get(4);
                byte[] state = new byte[buffer.remaining()];
                buffer.duplicate().get(state);
                emit.accept(new SnapshotRef(key, qualifiesAt, eventTs, createdTs, (Long) record.get(3), state));
                counts().addUsed();
            }
        } catch (FileNotFoundException e) {
            // Compaction replaced the file after the listing: its rows are in the file that replaced it.
            for (String replacement : DataFiles.unscheduled(store, Layout.dateDir(view.view(), date), counts())) {
                scanFile(view, date, replacement, coverage, keys, filter, emit);
            }
        } catch (RuntimeException e) {
            throw new OfflineException("cannot read snapshot file " + store.describe(file) + ": " + e.getMessage(), e);
        }
    }

    @Override
    BucketJoin<SnapshotRef> bucketJoin(int v, ViewRequest view) {
        return new SnapshotBucketJoin(v, view);
    }
}
