package io.fathom.offline.internal;

import io.fathom.core.EntityKey;
import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.EntityRowsException;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineException;
import io.fathom.offline.ProgressListener.Stage;
import io.fathom.offline.internal.ExternalSorter.SortedItems;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.schemas.ViewDefinition;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The point-in-time join, as a sort-merge over (entity, time) split into buckets by hash of entity key.
 *
 * <p>For each entity row (keys, t) and each requested view, the answer is the view's features evaluated
 * at t ({@link TileAggregator#evaluate}) on a state: in event time ({@link #runEventTime}), the state of
 * every event of the entity with event time ≤ t from the event history ({@link EventSide}, {@link
 * EventTimeBucketJoin}); as known at t ({@link #runAsKnownAt}), the snapshot with the greatest {@code
 * (event_ts, created_ts, kafka_offset)} among those of the entity with {@code event_ts <= t} and {@code
 * created_ts <= t} ({@link SnapshotSide}, {@link SnapshotBucketJoin}). Either way nulls when the entity's
 * latest event time there is before {@code t - ttl}. The stored feature values are never used. What is
 * read and how one bucket is joined is a {@link JoinSide}; the rest is shared:
 *
 * <ol>
 *   <li><b>Rows</b>: read the entity rows once; per view, encode the entity key ({@link EntityKey}) and
 *       add (key, t, row index) to the sorter of bucket {@code hash(key) mod B}. Collect the row times
 *       ({@link TimeCoverage}) and the keys ({@link KeyFilter}).
 *   <li><b>Scan</b>, in parallel over files: the side lists the files some row can use (by date
 *       directory, row group statistics and row, against the row times and keys) and reads only the
 *       columns it needs. Items (snapshots or events) go to their bucket's sorter, ordered by (key, time).
 *   <li><b>Merge</b>, in parallel over (view, bucket): the side's {@link JoinSide.BucketJoin}, a pure
 *       function of the bucket's sorted rows and items. Results go to one sorter by row index.
 *   <li><b>Write</b>: read the entity rows again, in order, beside the results; rows without a result
 *       get nulls. Every row appears once, in input order.
 * </ol>
 *
 * Sorters hold at most the memory budget between them and spill sorted runs to disk beyond it ({@link
 * ExternalSorter}). A duplicate (the same partition and offset read twice, as during a compaction) never
 * changes the answer: the newest snapshot is the same whichever copy is kept, and an event is added once.
 */
public record JoinEngine(FileStore store, ExecutorService pool, JoinOptions options) {
    private static final Logger LOG = LoggerFactory.getLogger(JoinEngine.class);
    /** The least a sorter buffers before it spills, whatever the budget (tests use tiny budgets to spill). */
    private static final long MIN_SORT_BUFFER = 4096;

    /**
     * Rows handed at a time from a pool thread to the calling thread, which reading the entity rows and writing
     * the training set each split in two; and batches in flight.
     */
    private static final int PIPELINE_BATCH = 1024;

    private static final int PIPELINE_QUEUE = 16;

    /** Items a scanning thread collects for one bucket before it takes the bucket's lock. */
    private static final int SCAN_BATCH = 256;

    private static final List<OutputRow> END_OF_ROWS = new ArrayList<>(0);

    /** A row of the training set, as the sink takes it. */
    private record OutputRow(long index, Object[] input, Object[] features, long[] snapshotTimes) {}

    /** Parsed entity rows: times, and keys per view (the first {@code size} of each). */
    private static final class RowBatch {
        static final RowBatch END = new RowBatch(0);

        final long[] times;
        final String[][] keys;
        int size;

        RowBatch(int views) {
            this.times = new long[PIPELINE_BATCH];
            this.keys = new String[views][PIPELINE_BATCH];
        }
    }

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

        /** A request of a view's features, with its aggregator and ttl. */
        public static ViewRequest of(
                ViewDefinition view, List<String> keyColumns, List<String> features, List<ColumnType> types) {
            ViewPlan plan = ViewPlan.of(view);
            return new ViewRequest(
                    view.name(), keyColumns, new TileAggregator(plan), plan.ttlMillis(), features, types);
        }

        /** The requested features' values, in request order and output types, out of all the view's. */
        Object[] values(Map<String, Object> all) {
            Object[] values = new Object[features.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = types.get(i).convert(all.get(features.get(i)));
            }
            return values;
        }
    }

    /**
     * Counts of one run: files read and items used are snapshots as known at t, events in event time;
     * {@code skipped} counts the events that could not be aggregated (no key, bad time, wrong type).
     */
    public record Stats(long rows, long files, long itemsUsed, long skipped, long spilledBytes) {}

    /**
     * What one join reads: the views asked for, and the entity rows with the column that holds each row's time.
     */
    public record Request(List<ViewRequest> views, EntityRowSource source, String timestampColumn) {
        public Request {
            views = List.copyOf(views);
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(timestampColumn, "timestampColumn");
        }
    }

    /** The join as known at t, from the snapshot log. */
    public Stats runAsKnownAt(Request request, TrainingSetSink sink, JoinProgress progress) {
        return run(request, new SnapshotSide(store), sink, progress);
    }

    /** The join in event time, from the event history of each view's source. */
    public Stats runEventTime(Request request, EventHistory history, TrainingSetSink sink, JoinProgress progress) {
        return run(request, new EventSide(history), sink, progress);
    }

    private <T> Stats run(Request request, JoinSide<T> side, TrainingSetSink sink, JoinProgress progress) {
        try (SpillDirectory spill = SpillDirectory.in(options.spillDirectory(), "fathom-join-");
                Run<T> run = new Run<>(request, side, spill.path(), progress)) {
            return run.execute(sink);
        } catch (IOException e) {
            throw new OfflineException("point-in-time join failed: " + e.getMessage(), e);
        }
    }

    /** The bucket of an entity key among {@code buckets}: a mix of its hash, so that similar keys spread. */
    static int bucketOf(String key, int buckets) {
        int h = key.hashCode() * 0x9E3779B9;
        return Math.floorMod(h ^ (h >>> 16), buckets);
    }

    /** The state of one join. */
    private final class Run<T> implements AutoCloseable {
        private final List<ViewRequest> views;
        private final JoinSide<T> side;
        private final EntityRowSource source;
        private final JoinProgress progress;
        private final int buckets = options.buckets();
        private final int timestampIndex;
        private final int[][] keyIndexes;
        private final List<List<ExternalSorter<RowRef>>> rowSorters = new ArrayList<>();
        private final List<List<ExternalSorter<T>>> itemSorters = new ArrayList<>();
        private final ExternalSorter.Budget budget;
        private final ExternalSorter<Result> results;
        private final KeyFilter[] keyFilters;
        private final AtomicLong skipped = new AtomicLong();
        private long rowCount;

        Run(Request request, JoinSide<T> side, Path spill, JoinProgress progress) {
            this.views = request.views();
            this.side = side;
            this.source = request.source();
            this.progress = progress;
            List<String> columns = source.columns();
            this.timestampIndex = column(columns, request.timestampColumn(), "the timestamp column");
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
            // One budget for every sorter: the row sorters fill it first, the item sorters while the scan runs,
            // the results as the merge consumes (and releases) the others. A sorter spills when the budget is
            // full and it holds at least a quarter of an even share, so that the whole budget is used without
            // spilling runs of a few items.
            long sorters = 2L * views.size() * buckets + 1;
            this.budget = new ExternalSorter.Budget(
                    options.memoryBudgetBytes(),
                    Math.max(MIN_SORT_BUFFER, options.memoryBudgetBytes() / (4 * sorters)));
            ExternalSorter.Kind<T> itemKind = side.items().kind();
            this.keyFilters = new KeyFilter[views.size()];
            for (int v = 0; v < views.size(); v++) {
                List<ExternalSorter<RowRef>> rows = new ArrayList<>();
                List<ExternalSorter<T>> items = new ArrayList<>();
                for (int b = 0; b < buckets; b++) {
                    rows.add(new ExternalSorter<>(JoinRecords.ROWS, budget, spill, "rows-" + v + "-" + b));
                    items.add(new ExternalSorter<>(itemKind, budget, spill, "items-" + v + "-" + b));
                }
                rowSorters.add(rows);
                itemSorters.add(items);
                keyFilters[v] = new KeyFilter(1 << 16);
            }
            this.results = new ExternalSorter<>(JoinRecords.RESULTS, budget, spill, "results");
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
            long start = System.nanoTime();
            TimeCoverage coverage = readRows();
            long rowsRead = System.nanoTime();
            scan(coverage);
            long scanned = System.nanoTime();
            merge();
            long merged = System.nanoTime();
            write(sink);
            if (LOG.isDebugEnabled()) {
                LOG.debug(
                        "join of {} rows: rows read in {} ms, scan {} ms, merge {} ms, write {} ms",
                        rowCount,
                        (rowsRead - start) / 1_000_000,
                        (scanned - rowsRead) / 1_000_000,
                        (merged - scanned) / 1_000_000,
                        (System.nanoTime() - merged) / 1_000_000);
            }
            long spilled = results.spilledBytes();
            for (int v = 0; v < views.size(); v++) {
                for (int b = 0; b < buckets; b++) {
                    spilled += rowSorters.get(v).get(b).spilledBytes()
                            + itemSorters.get(v).get(b).spilledBytes();
                }
            }
            ScanCounts counts = side.counts();
            return new Stats(rowCount, counts.files(), counts.used(), skipped.get() + counts.skipped(), spilled);
        }

        // 1. Rows -------------------------------------------------------------------------------------

        /**
         * Two threads: one of the pool parses the entity rows (timestamps and keys), in batches; the calling
         * thread collects the times and keys and adds the rows to their sorters.
         */
        private TimeCoverage readRows() throws IOException {
            progress.start(Stage.READ_ENTITY_ROWS, -1);
            BlockingQueue<RowBatch> queue = new ArrayBlockingQueue<>(PIPELINE_QUEUE);
            AtomicBoolean stopped = new AtomicBoolean();
            Future<Void> parser = pool.submit(() -> {
                try {
                    parseRows(queue, stopped);
                } finally {
                    end(queue, stopped, RowBatch.END);
                }
                return null;
            });
            TimeCoverage.Builder coverage = new TimeCoverage.Builder();
            long index = 0;
            try {
                for (RowBatch batch = take(queue, parser, RowBatch.END);
                        batch != RowBatch.END;
                        batch = take(queue, parser, RowBatch.END)) {
                    for (int r = 0; r < batch.size; r++, index++) {
                        long t = batch.times[r];
                        coverage.add(t);
                        for (int v = 0; v < views.size(); v++) {
                            String key = batch.keys[v][r];
                            rowSorters.get(v).get(bucket(key)).add(new RowRef(key, t, index));
                            keyFilters[v].add(key);
                        }
                    }
                    progress.add(batch.size);
                }
                await(parser);
            } finally {
                stop(parser, queue, stopped);
            }
            rowCount = index;
            progress.finish(rowCount);
            return coverage.build();
        }

        /** Parses the entity rows into batches of times and keys (per view). */
        private void parseRows(BlockingQueue<RowBatch> queue, AtomicBoolean stopped)
                throws IOException, InterruptedException {
            try (EntityRowSource.Cursor cursor = source.open()) {
                long index = 0;
                RowBatch batch = new RowBatch(views.size());
                while (!stopped.get() && cursor.next()) {
                    int r = batch.size;
                    batch.times[r] = timestamp(cursor, index + 1);
                    for (int v = 0; v < views.size(); v++) {
                        batch.keys[v][r] = v > 0 && Arrays.equals(keyIndexes[v], keyIndexes[v - 1])
                                ? batch.keys[v - 1][r]
                                : key(cursor, v, index + 1);
                    }
                    batch.size++;
                    if (batch.size == PIPELINE_BATCH) {
                        queue.put(batch);
                        batch = new RowBatch(views.size());
                    }
                    index++;
                }
                if (batch.size > 0 && !stopped.get()) {
                    queue.put(batch);
                }
            }
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

        private void scan(TimeCoverage coverage) throws IOException {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int v = 0; v < views.size() && rowCount > 0; v++) {
                ToBuckets toBuckets = new ToBuckets(v);
                for (Callable<Void> scan : side.scans(v, views.get(v), coverage, keyFilters[v], toBuckets)) {
                    tasks.add(() -> {
                        try {
                            return scan.call();
                        } finally {
                            toBuckets.flush();
                        }
                    });
                }
            }
            Tasks.runCounted(pool, tasks, progress, Stage.SCAN_SNAPSHOTS);
        }

        /**
         * Where a view's scans put each item: the sorter of its key's bucket, through a batch per scanning thread
         * and bucket, so that a sorter's lock is taken once a batch rather than once an item (the scans of two
         * threads often add to the same bucket). A scan task flushes its thread's batches when it ends.
         */
        private final class ToBuckets implements Consumer<T> {
            private final List<ExternalSorter<T>> sorters;
            private final ThreadLocal<List<List<T>>> batches;

            ToBuckets(int v) {
                this.sorters = itemSorters.get(v);
                this.batches = ThreadLocal.withInitial(() -> {
                    List<List<T>> lists = new ArrayList<>(buckets);
                    for (int b = 0; b < buckets; b++) {
                        lists.add(new ArrayList<>(SCAN_BATCH));
                    }
                    return lists;
                });
            }

            @Override
            public void accept(T item) {
                int b = bucket(side.items().key().apply(item));
                List<T> batch = batches.get().get(b);
                batch.add(item);
                if (batch.size() == SCAN_BATCH) {
                    sorters.get(b).addAll(batch);
                    batch.clear();
                }
            }

            /** Hands the calling thread's batches to the sorters. */
            void flush() {
                List<List<T>> mine = batches.get();
                batches.remove();
                for (int b = 0; b < buckets; b++) {
                    if (!mine.get(b).isEmpty()) {
                        sorters.get(b).addAll(mine.get(b));
                    }
                }
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
            JoinSide.BucketJoin<T> join = side.bucketJoin(v, views.get(v));
            try (SortedItems<RowRef> rows = rowSorters.get(v).get(b).sorted();
                    SortedItems<T> items = itemSorters.get(v).get(b).sorted()) {
                ResultBatch batch = new ResultBatch();
                skipped.addAndGet(join.join(new CountingRows(rows), items, batch));
                batch.flush();
            }
        }

        /** A merge task's results, handed to the shared results sorter a batch at a time (one lock per batch). */
        private final class ResultBatch implements Consumer<Result> {
            private static final int SIZE = 4096;
            private List<Result> batch = new ArrayList<>(SIZE);

            @Override
            public void accept(Result result) {
                batch.add(result);
                if (batch.size() == SIZE) {
                    flush();
                }
            }

            void flush() {
                if (!batch.isEmpty()) {
                    results.addAll(batch);
                    batch = new ArrayList<>(SIZE);
                }
            }
        }

        /** The rows of a bucket, reporting progress every 1,024 rows and at the end. */
        private final class CountingRows implements Iterator<RowRef> {
            private final Iterator<RowRef> rows;
            private long done;

            CountingRows(Iterator<RowRef> rows) {
                this.rows = rows;
            }

            @Override
            public boolean hasNext() {
                boolean more = rows.hasNext();
                if (!more && done % 1024 != 0) {
                    progress.add(done % 1024);
                    done = 0;
                }
                return more;
            }

            @Override
            public RowRef next() {
                RowRef row = rows.next();
                if (++done % 1024 == 0) {
                    progress.add(1024);
                }
                return row;
            }
        }

        // 4. Write ------------------------------------------------------------------------------------

        /**
         * Two threads: one of the pool reads the entity rows again beside the sorted results and assembles the
         * output rows, in batches; the calling thread writes them to the sink (which is not thread-safe), so that
         * reading and encoding overlap.
         */
        private void write(TrainingSetSink sink) throws IOException {
            progress.start(Stage.WRITE, rowCount);
            BlockingQueue<List<OutputRow>> queue = new ArrayBlockingQueue<>(PIPELINE_QUEUE);
            AtomicBoolean stopped = new AtomicBoolean();
            Future<Void> reader = pool.submit(() -> {
                try {
                    readOutputRows(queue, stopped);
                } finally {
                    end(queue, stopped, END_OF_ROWS);
                }
                return null;
            });
            try {
                for (List<OutputRow> batch = take(queue, reader, END_OF_ROWS);
                        batch != END_OF_ROWS;
                        batch = take(queue, reader, END_OF_ROWS)) {
                    for (OutputRow row : batch) {
                        sink.write(row.index(), row.input(), row.features(), row.snapshotTimes());
                    }
                    progress.add(batch.size());
                }
                await(reader);
            } finally {
                stop(reader, queue, stopped);
            }
            sink.commit();
            progress.finish(rowCount);
        }

        /** Reads the entity rows and the results, in row order, into batches of output rows. */
        private void readOutputRows(BlockingQueue<List<OutputRow>> queue, AtomicBoolean stopped)
                throws IOException, InterruptedException {
            int[] offsets = new int[views.size() + 1];
            for (int v = 0; v < views.size(); v++) {
                offsets[v + 1] = offsets[v] + views.get(v).features().size();
            }
            int columns = source.columns().size();
            try (SortedItems<Result> sorted = results.sorted();
                    EntityRowSource.Cursor cursor = source.open()) {
                Result pending = sorted.hasNext() ? sorted.next() : null;
                long index = 0;
                List<OutputRow> batch = new ArrayList<>(PIPELINE_BATCH);
                while (cursor.next() && !stopped.get()) {
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
                    batch.add(new OutputRow(index, input, features, snapshotTimes));
                    if (batch.size() == PIPELINE_BATCH) {
                        queue.put(batch);
                        batch = new ArrayList<>(PIPELINE_BATCH);
                    }
                    index++;
                }
                if (stopped.get()) {
                    return;
                }
                if (index != rowCount || pending != null) {
                    throw new OfflineException(source.describe() + " changed while the join was running: it had "
                            + rowCount + " rows, then " + index);
                }
                if (!batch.isEmpty()) {
                    queue.put(batch);
                }
            }
        }

        /** The next batch, or {@code end} when the producer stopped without saying so (it failed or was cancelled). */
        private <B> B take(BlockingQueue<B> queue, Future<Void> producer, B end) {
            try {
                B batch;
                while ((batch = queue.poll(100, TimeUnit.MILLISECONDS)) == null) {
                    if (producer.isDone() && queue.isEmpty()) {
                        return end;
                    }
                }
                return batch;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OfflineException("interrupted while the join was running", e);
            }
        }

        /** The producer's last word: blocks while the consumer drains the queue, unless the consumer is gone. */
        private <B> void end(BlockingQueue<B> queue, AtomicBoolean stopped, B end) throws InterruptedException {
            if (stopped.get()) {
                queue.offer(end);
            } else {
                queue.put(end);
            }
        }

        /** Stops a producer the consumer no longer listens to (it failed); nothing if the producer is done. */
        private void stop(Future<Void> producer, BlockingQueue<?> queue, AtomicBoolean stopped) {
            if (!producer.isDone()) {
                stopped.set(true);
                queue.clear();
                producer.cancel(true);
            }
        }

        /** Waits for a producer, rethrowing its failure as it was. */
        private void await(Future<Void> producer) throws IOException {
            try {
                producer.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OfflineException("interrupted while writing the training set", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw Tasks.bubble(e.getCause());
            }
        }

        private int bucket(String key) {
            return bucketOf(key, buckets);
        }

        @Override
        public void close() {
            results.close();
            for (int v = 0; v < views.size(); v++) {
                rowSorters.get(v).forEach(ExternalSorter::close);
                itemSorters.get(v).forEach(ExternalSorter::close);
            }
        }
    }
}
