package io.fathom.offline.internal;

import io.fathom.core.EntityKey;
import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.core.TimeMath;
import io.fathom.offline.EntityRowsException;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineException;
import io.fathom.offline.ProgressListener.Stage;
import io.fathom.offline.internal.ExternalSorter.SortedItems;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.offline.internal.JoinRecords.SnapshotRef;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.avro.EntityState;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.io.FileUtils;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * The point-in-time join, as a sort-merge over (entity, time) split into buckets by hash of entity key.
 *
 * <p>For each entity row (keys, t) and each requested view, the answer is the view's features evaluated
 * at t ({@link TileAggregator#evaluate}) on the snapshot with the greatest {@code (event_ts, created_ts,
 * kafka_offset)} among those of the entity with {@code event_ts <= t} (and, as known at t, {@code
 * created_ts <= t}), provided its {@code event_ts >= t - ttl}; nulls when there is none. The stored
 * feature values (evaluated at {@code event_ts}) are never used.
 *
 * <ol>
 *   <li><b>Rows</b>: read the entity rows once; per view, encode the entity key ({@link EntityKey}) and
 *       add (key, t, row index) to the sorter of bucket {@code hash(key) mod B}. Collect the row times
 *       ({@link TimeCoverage}) and the keys ({@link KeyFilter}).
 *   <li><b>Scan</b>, in parallel over files: list the view's date directories that can hold a snapshot
 *       some row can use (dates overlapping {@code [t - ttl, t]} for some row t), and read each file's
 *       key, times, offset and state columns only, skipping row groups whose {@code event_ts} statistics
 *       no row can use, and rows whose key no entity row has. Snapshots go to their bucket's sorter,
 *       ordered by (key, time from which they qualify).
 *   <li><b>Merge</b>, in parallel over (view, bucket): walk both sorted streams; for each row, take in
 *       every snapshot of the same key that qualifies at t, keep the newest, check the ttl, decode its
 *       state (once per snapshot) and evaluate at t. Results go to one sorter by row index.
 *   <li><b>Write</b>: read the entity rows again, in order, beside the results; rows without a result
 *       get nulls. Every row appears once, in input order.
 * </ol>
 *
 * Sorters hold at most the memory budget between them and spill sorted runs to disk beyond it ({@link
 * ExternalSorter}). A duplicate snapshot (the same partition and offset read twice, as during a
 * compaction) never changes the answer: the newest snapshot is the same whichever copy is kept.
 */
public final class JoinEngine {
    private static final String EVENT_TS = SnapshotSchema.EVENT_TS;
    private static final Schema PROJECTION = SnapshotSchema.joinProjection();
    /** The least a sorter buffers before it spills, whatever the budget (tests use tiny budgets to spill). */
    private static final long MIN_SORT_BUFFER = 4096;

    /** One requested view: its entity's key columns, its aggregator, and the features asked for. */
    public record ViewRequest(
            String view,
            List<String> keyColumns,
            TileAggregator aggregator,
            long ttlMillis,
            List<String> features,
            List<ColumnType> types) {
        public ViewRequest {
            keyColumns = List.copyOf(keyColumns);
            features = List.copyOf(features);
            types = List.copyOf(types);
        }
    }

    /** Counts of one run. */
    public record Stats(long rows, long snapshotFiles, long snapshotsUsed, long spilledBytes) {}

    private final FileStore store;
    private final ExecutorService pool;
    private final JoinOptions options;

    public JoinEngine(FileStore store, ExecutorService pool, JoinOptions options) {
        this.store = store;
        this.pool = pool;
        this.options = options;
    }

    public Stats run(
            List<ViewRequest> views,
            boolean asKnownAt,
            String timestampColumn,
            EntityRowSource source,
            TrainingSetSink sink,
            JoinProgress progress) {
        Path spill;
        try {
            Files.createDirectories(options.spillDirectory());
            spill = Files.createTempDirectory(options.spillDirectory(), "fathom-join-");
        } catch (IOException e) {
            throw new OfflineException("cannot create a spill directory in " + options.spillDirectory(), e);
        }
        try (Run run = new Run(views, asKnownAt, timestampColumn, source, spill, progress)) {
            return run.execute(sink);
        } catch (IOException e) {
            throw new OfflineException("point-in-time join failed: " + e.getMessage(), e);
        } finally {
            deleteRecursively(spill);
        }
    }

    /** The state of one join. */
    private final class Run implements AutoCloseable {
        private final List<ViewRequest> views;
        private final boolean asKnownAt;
        private final EntityRowSource source;
        private final JoinProgress progress;
        private final int buckets = options.buckets();
        private final int timestampIndex;
        private final int[][] keyIndexes;
        private final List<List<ExternalSorter<RowRef>>> rowSorters = new ArrayList<>();
        private final List<List<ExternalSorter<SnapshotRef>>> snapshotSorters = new ArrayList<>();
        private final ExternalSorter<Result> results;
        private final KeyFilter[] keyFilters;
        private final AtomicLong snapshotsUsed = new AtomicLong();
        private long rowCount;

        Run(
                List<ViewRequest> views,
                boolean asKnownAt,
                String timestampColumn,
                EntityRowSource source,
                Path spill,
                JoinProgress progress) {
            this.views = views;
            this.asKnownAt = asKnownAt;
            this.source = source;
            this.progress = progress;
            List<String> columns = source.columns();
            this.timestampIndex = column(columns, timestampColumn, "the timestamp column");
            this.keyIndexes = new int[views.size()][];
            for (int v = 0; v < views.size(); v++) {
                List<String> keys = views.get(v).keyColumns();
                keyIndexes[v] = new int[keys.size()];
                for (int k = 0; k < keys.size(); k++) {
                    keyIndexes[v][k] = column(
                            columns,
                            keys.get(k),
                            "key column of view " + views.get(v).view());
                }
            }
            // Half the budget for the row and snapshot sorters, half for the results, which grow as the
            // others are consumed.
            long perSorter = Math.max(MIN_SORT_BUFFER, options.memoryBudgetBytes() / 2 / (2L * views.size() * buckets));
            this.keyFilters = new KeyFilter[views.size()];
            for (int v = 0; v < views.size(); v++) {
                List<ExternalSorter<RowRef>> rows = new ArrayList<>();
                List<ExternalSorter<SnapshotRef>> snapshots = new ArrayList<>();
                for (int b = 0; b < buckets; b++) {
                    rows.add(new ExternalSorter<>(
                            JoinRecords.ROW_ORDER, JoinRecords.ROW_CODEC, perSorter, spill, "rows-" + v + "-" + b));
                    snapshots.add(new ExternalSorter<>(
                            JoinRecords.SNAPSHOT_ORDER,
                            JoinRecords.SNAPSHOT_CODEC,
                            perSorter,
                            spill,
                            "snapshots-" + v + "-" + b));
                }
                rowSorters.add(rows);
                snapshotSorters.add(snapshots);
                keyFilters[v] = new KeyFilter(1 << 16);
            }
            this.results = new ExternalSorter<>(
                    JoinRecords.RESULT_ORDER,
                    JoinRecords.RESULT_CODEC,
                    Math.max(MIN_SORT_BUFFER, options.memoryBudgetBytes() / 2),
                    spill,
                    "results");
        }

        private int column(List<String> columns, String name, String what) {
            int index = columns.indexOf(name);
            if (index < 0) {
                throw new EntityRowsException(
                        source.describe() + " has no column \"" + name + "\" (" + what + "); its columns are "
                                + columns,
                        0,
                        name,
                        null);
            }
            return index;
        }

        Stats execute(TrainingSetSink sink) throws IOException {
            TimeCoverage coverage = readRows();
            long files = scanSnapshots(coverage);
            merge();
            write(sink);
            long spilled = results.spilledBytes();
            for (int v = 0; v < views.size(); v++) {
                for (int b = 0; b < buckets; b++) {
                    spilled += rowSorters.get(v).get(b).spilledBytes()
                            + snapshotSorters.get(v).get(b).spilledBytes();
                }
            }
            return new Stats(rowCount, files, snapshotsUsed.get(), spilled);
        }

        // 1. Rows -------------------------------------------------------------------------------------

        private TimeCoverage readRows() throws IOException {
            progress.start(Stage.READ_ENTITY_ROWS, -1);
            TimeCoverage.Builder coverage = new TimeCoverage.Builder();
            String[] keys = new String[views.size()];
            try (EntityRowSource.Cursor cursor = source.open()) {
                long index = 0;
                while (cursor.next()) {
                    long t = timestamp(cursor, index + 1);
                    coverage.add(t);
                    for (int v = 0; v < views.size(); v++) {
                        keys[v] = v > 0 && Arrays.equals(keyIndexes[v], keyIndexes[v - 1])
                                ? keys[v - 1]
                                : key(cursor, v, index + 1);
                        rowSorters.get(v).get(bucket(keys[v])).add(new RowRef(keys[v], t, index));
                        keyFilters[v].add(keys[v]);
                    }
                    index++;
                    progress.add(1);
                }
                rowCount = index;
            }
            progress.finish(rowCount);
            return coverage.build();
        }

        private long timestamp(EntityRowSource.Cursor cursor, long row) {
            String column = source.columns().get(timestampIndex);
            Object raw = cursor.get(timestampIndex);
            if (raw == null || (raw instanceof String s && s.isEmpty())) {
                throw new EntityRowsException(
                        source.describe() + ", row " + row + ": column " + column + " is empty", row, column, null);
            }
            try {
                return EventTimes.parse(source.timestampValue(timestampIndex, raw));
            } catch (InvalidEventException e) {
                throw new EntityRowsException(
                        source.describe() + ", row " + row + ": column " + column + ": " + e.getMessage(),
                        row,
                        column,
                        e);
            }
        }

        private String key(EntityRowSource.Cursor cursor, int v, long row) {
            List<String> columns = views.get(v).keyColumns();
            List<Object> values = new ArrayList<>(columns.size());
            for (int k = 0; k < columns.size(); k++) {
                Object value = cursor.get(keyIndexes[v][k]);
                if (value == null || (value instanceof String s && s.isEmpty())) {
                    throw new EntityRowsException(
                            source.describe() + ", row " + row + ": key column " + columns.get(k) + " is empty",
                            row,
                            columns.get(k),
                            null);
                }
                values.add(value);
            }
            try {
                return new EntityKey(columns, values).encoded();
            } catch (IllegalArgumentException e) {
                throw new EntityRowsException(
                        source.describe() + ", row " + row + ": " + e.getMessage(), row, columns.toString(), e);
            }
        }

        // 2. Scan -------------------------------------------------------------------------------------

        private long scanSnapshots(TimeCoverage coverage) throws IOException {
            List<Callable<Void>> tasks = new ArrayList<>();
            Set<String> scheduled = ConcurrentHashMap.newKeySet();
            for (int v = 0; v < views.size(); v++) {
                if (rowCount == 0) {
                    break;
                }
                ViewRequest view = views.get(v);
                FilterCompat.Filter filter = FilterCompat.get(FilterApi.userDefined(
                        FilterApi.longColumn(EVENT_TS), new CoveragePredicate(coverage, view.ttlMillis())));
                for (FileStore.Entry dir : store.list(Layout.viewDir(view.view()))) {
                    Optional<LocalDate> date = Layout.parseDateDir(dir.name());
                    if (!dir.directory()
                            || date.isEmpty()
                            || !coverage.anyIn(
                                    Layout.startOf(date.get()),
                                    TimeMath.plus(Layout.endOf(date.get()), view.ttlMillis()))) {
                        continue;
                    }
                    for (String file : dataFiles(view.view(), date.get())) {
                        scheduled.add(file);
                        int viewIndex = v;
                        LocalDate day = date.get();
                        tasks.add(() -> {
                            scanFile(viewIndex, day, file, coverage, filter, scheduled);
                            progress.add(1);
                            return null;
                        });
                    }
                }
            }
            progress.start(Stage.SCAN_SNAPSHOTS, tasks.size());
            Tasks.runAll(pool, tasks);
            progress.finish(tasks.size());
            return scheduled.size();
        }

        private List<String> dataFiles(String view, LocalDate date) throws IOException {
            List<String> files = new ArrayList<>();
            for (FileStore.Entry entry : store.list(Layout.dateDir(view, date))) {
                String name = entry.name();
                if (!entry.directory() && name.endsWith(".parquet") && !name.startsWith(".") && !name.startsWith("_")) {
                    files.add(Layout.dateDir(view, date) + "/" + name);
                }
            }
            return files;
        }

        private void scanFile(
                int v,
                LocalDate date,
                String file,
                TimeCoverage coverage,
                FilterCompat.Filter filter,
                Set<String> scheduled)
                throws IOException {
            ViewRequest view = views.get(v);
            long ttl = view.ttlMillis();
            List<ExternalSorter<SnapshotRef>> sorters = snapshotSorters.get(v);
            try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(store.open(file), PROJECTION, filter)) {
                GenericRecord record;
                while ((record = reader.read()) != null) {
                    String key = record.get(0).toString();
                    long eventTs = (Long) record.get(1);
                    long createdTs = (Long) record.get(2);
                    long qualifiesAt = asKnownAt ? Math.max(eventTs, createdTs) : eventTs;
                    if (!coverage.anyIn(qualifiesAt, TimeMath.plus(eventTs, ttl)) || !keyFilters[v].mightContain(key)) {
                        continue;
                    }
                    ByteBuffer buffer = (ByteBuffer) record.get(4);
                    byte[] state = new byte[buffer.remaining()];
                    buffer.duplicate().get(state);
                    sorters.get(bucket(key))
                            .add(new SnapshotRef(key, qualifiesAt, eventTs, createdTs, (Long) record.get(3), state));
                    snapshotsUsed.incrementAndGet();
                }
            } catch (FileNotFoundException e) {
                // Compaction replaced the file after the listing: its rows are in the file that replaced it.
                for (String replacement : dataFiles(view.view(), date)) {
                    if (scheduled.add(replacement)) {
                        scanFile(v, date, replacement, coverage, filter, scheduled);
                    }
                }
            } catch (RuntimeException e) {
                throw new OfflineException(
                        "cannot read snapshot file " + store.describe(file) + ": " + e.getMessage(), e);
            }
        }

        // 3. Merge ------------------------------------------------------------------------------------

        private void merge() {
            progress.start(Stage.JOIN, rowCount * views.size());
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int v = 0; v < views.size(); v++) {
                for (int b = 0; b < buckets; b++) {
                    int view = v;
                    int bucket = b;
                    tasks.add(() -> {
                        mergeBucket(view, bucket);
                        return null;
                    });
                }
            }
            Tasks.runAll(pool, tasks);
            progress.finish(rowCount * views.size());
        }

        private void mergeBucket(int v, int b) {
            ViewRequest view = views.get(v);
            EntityStateCodec stateCodec = new EntityStateCodec();
            long done = 0;
            try (SortedItems<RowRef> rows = rowSorters.get(v).get(b).sorted();
                    SortedItems<SnapshotRef> snapshots =
                            snapshotSorters.get(v).get(b).sorted()) {
                SnapshotRef pending = snapshots.hasNext() ? snapshots.next() : null;
                String currentKey = null;
                SnapshotRef best = null;
                SnapshotRef decodedFor = null;
                EntityState state = null;
                SnapshotRef evaluatedFor = null;
                long evaluatedAt = 0;
                Object[] values = null;
                while (rows.hasNext()) {
                    RowRef row = rows.next();
                    if (!row.key().equals(currentKey)) {
                        currentKey = row.key();
                        best = null;
                    }
                    while (pending != null) {
                        int order = pending.key().compareTo(row.key());
                        if (order > 0 || (order == 0 && pending.qualifiesAt() > row.t())) {
                            break;
                        }
                        if (order == 0 && (best == null || pending.newerThan(best))) {
                            best = pending;
                        }
                        pending = snapshots.hasNext() ? snapshots.next() : null;
                    }
                    if (best != null && best.eventTs() >= TimeMath.minus(row.t(), view.ttlMillis())) {
                        if (best != evaluatedFor || row.t() != evaluatedAt) {
                            if (best != decodedFor) {
                                state = stateCodec.decode(best.state());
                                decodedFor = best;
                            }
                            values = evaluate(view, best, state, row.t());
                            evaluatedFor = best;
                            evaluatedAt = row.t();
                        }
                        results.add(new Result(row.rowIndex(), v, best.eventTs(), values));
                    }
                    if (++done % 1024 == 0) {
                        progress.add(1024);
                    }
                }
            }
            progress.add(done % 1024);
        }

        private Object[] evaluate(ViewRequest view, SnapshotRef snapshot, EntityState state, long t) {
            Map<String, Object> all;
            try {
                all = view.aggregator().evaluate(state, t);
            } catch (IllegalArgumentException e) {
                throw new OfflineException(
                        "view " + view.view() + ", entity " + snapshot.key() + ": the snapshot at event_ts "
                                + snapshot.eventTs() + " (offset " + snapshot.offset() + ") cannot be evaluated at " + t
                                + ": "
                                + e.getMessage(),
                        e);
            }
            Object[] values = new Object[view.features().size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = view.types().get(i).convert(all.get(view.features().get(i)));
            }
            return values;
        }

        // 4. Write ------------------------------------------------------------------------------------

        private void write(TrainingSetSink sink) throws IOException {
            progress.start(Stage.WRITE, rowCount);
            int[] offsets = new int[views.size() + 1];
            for (int v = 0; v < views.size(); v++) {
                offsets[v + 1] = offsets[v] + views.get(v).features().size();
            }
            int columns = source.columns().size();
            try (SortedItems<Result> sorted = results.sorted();
                    EntityRowSource.Cursor cursor = source.open()) {
                Result pending = sorted.hasNext() ? sorted.next() : null;
                long index = 0;
                while (cursor.next()) {
                    Object[] features = new Object[offsets[views.size()]];
                    long[] snapshotTimes = new long[views.size()];
                    Arrays.fill(snapshotTimes, TrainingSetSink.NO_SNAPSHOT);
                    while (pending != null && pending.rowIndex() == index) {
                        System.arraycopy(
                                pending.values(), 0, features, offsets[pending.view()], pending.values().length);
                        snapshotTimes[pending.view()] = pending.snapshotEventTs();
                        pending = sorted.hasNext() ? sorted.next() : null;
                    }
                    Object[] input = new Object[columns];
                    for (int c = 0; c < columns; c++) {
                        input[c] = cursor.get(c);
                    }
                    sink.write(index, input, features, snapshotTimes);
                    index++;
                    progress.add(1);
                }
                if (index != rowCount || pending != null) {
                    throw new OfflineException(source.describe() + " changed while the join was running: it had "
                            + rowCount + " rows, then " + index);
                }
            }
            sink.commit();
            progress.finish(rowCount);
        }

        private int bucket(String key) {
            int h = key.hashCode() * 0x9E3779B9;
            return Math.floorMod(h ^ (h >>> 16), buckets);
        }

        @Override
        public void close() {
            results.close();
            for (int v = 0; v < views.size(); v++) {
                rowSorters.get(v).forEach(ExternalSorter::close);
                snapshotSorters.get(v).forEach(ExternalSorter::close);
            }
        }
    }

    private static void deleteRecursively(Path directory) {
        try {
            FileUtils.deleteDirectory(directory.toFile());
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(JoinEngine.class).warn("cannot delete spill directory {}", directory, e);
        }
    }
}
