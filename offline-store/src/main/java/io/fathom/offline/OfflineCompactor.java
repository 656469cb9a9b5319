package io.fathom.offline;

import io.fathom.offline.internal.FileStore;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.offline.internal.SnapshotFile;
import io.fathom.offline.internal.SnapshotFileName;
import io.fathom.offline.internal.SnapshotSchema;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the small files of one view's date into one file per Kafka partition, without changing what any
 * query returns.
 *
 * <p>For each partition of the date directory: a file whose offset range lies inside another's holds a
 * subset of its rows (see {@link SnapshotFileName}'s invariant) and is deleted; the others are merged by
 * {@code kafka_offset} (each input is in offset order, so this streams), rows of an offset seen twice
 * are kept once, and the result is committed like a writer's file (temporary name, then rename or upload)
 * as {@code <topic>+<p>+<min start>+<max end>.parquet}. Only then are the inputs deleted. A crash leaves
 * either the inputs, or the inputs and the merged file: the next run finds the inputs covered by the
 * merged file and deletes them. Meanwhile a reader sees each row once or twice, and the point-in-time join
 * returns the same answer either way (a duplicate snapshot never changes which snapshot is picked); a
 * file deleted between the join's listing and its read makes the join list the directory again.
 *
 * <p>Safe beside a running writer: the writer only adds files, with offsets after every committed one,
 * and never touches committed files. Run at most one compactor per view at a time. Files of one
 * partition written with different schemas (the view's features changed in between) are left as they are.
 */
public final class OfflineCompactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineCompactor.class);
    private static final String TMP_TAG = "compact.";

    private final OfflineStoreConfig config;
    private final FileStore store;
    private final Clock clock;
    private final long rowGroupBytes;

    public OfflineCompactor(OfflineStoreConfig config) {
        this(config, Clock.systemUTC(), ParquetFiles.DEFAULT_ROW_GROUP_BYTES);
    }

    public OfflineCompactor(OfflineStoreConfig config, Clock clock, long rowGroupBytes) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rowGroupBytes = rowGroupBytes;
        this.store = HadoopFileStore.open(config);
    }

    /** The dates that have a directory under the view, ascending. */
    public List<LocalDate> dates(String view) {
        try {
            List<LocalDate> dates = new ArrayList<>();
            for (FileStore.Entry entry : store.list(Layout.viewDir(view))) {
                if (entry.directory()) {
                    Layout.parseDateDir(entry.name()).ifPresent(dates::add);
                }
            }
            return dates;
        } catch (IOException e) {
            throw new OfflineException("cannot list " + store.describe(Layout.viewDir(view)), e);
        }
    }

    /** Compacts one date of one view (see the class comment). */
    public CompactionResult compact(String view, LocalDate date) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(date, "date");
        String dir = Layout.dateDir(view, date);
        try {
            deleteStaleTemporaries(view);
            Map<String, List<SnapshotFileName>> byPartition = new LinkedHashMap<>();
            int before = 0;
            for (FileStore.Entry entry : store.list(dir)) {
                Optional<SnapshotFileName> name = SnapshotFileName.parse(entry.name());
                if (name.isPresent()) {
                    before++;
                    byPartition
                            .computeIfAbsent(
                                    name.get().topic() + "+" + name.get().partition(), k -> new ArrayList<>())
                            .add(name.get());
                }
            }
            int after = 0;
            long rows = 0;
            long duplicates = 0;
            for (List<SnapshotFileName> files : byPartition.values()) {
                Merge merge = compactPartition(view, date, files);
                after += merge.filesAfter;
                rows += merge.rows;
                duplicates += merge.duplicates;
            }
            CompactionResult result = new CompactionResult(view, date, before, after, rows, duplicates);
            LOG.info("compacted {}: {}", store.describe(dir), result);
            return result;
        } catch (IOException e) {
            throw new OfflineException("cannot compact " + store.describe(dir) + ": " + e.getMessage(), e);
        }
    }

    private record Merge(int filesAfter, long rows, long duplicates) {}

    private Merge compactPartition(String view, LocalDate date, List<SnapshotFileName> files) throws IOException {
        List<SnapshotFileName> kept = new ArrayList<>();
        List<SnapshotFileName> covered = new ArrayList<>();
        for (SnapshotFileName file : files) {
            boolean inside = files.stream().anyMatch(other -> other != file && other.covers(file));
            (inside ? covered : kept).add(file);
        }
        if (kept.size() < 2) {
            deleteAll(view, date, covered);
            return new Merge(kept.size(), 0, 0);
        }
        kept.sort(Comparator.comparingLong(SnapshotFileName::startOffset));
        List<ParquetReader<GenericRecord>> readers = new ArrayList<>();
        SnapshotFile merged = null;
        try {
            PriorityQueue<Head> heads = new PriorityQueue<>();
            Schema schema = null;
            for (SnapshotFileName file : kept) {
                ParquetReader<GenericRecord> reader = ParquetFiles.reader(store.open(Layout.file(view, date, file)));
                readers.add(reader);
                GenericRecord first = reader.read();
                if (first == null) {
                    continue;
                }
                if (schema == null) {
                    schema = first.getSchema();
                } else if (!schema.equals(first.getSchema())) {
                    LOG.warn(
                            "{}: files of partition {} have different schemas; left as they are",
                            store.describe(Layout.dateDir(view, date)),
                            kept.get(0).partition());
                    deleteAll(view, date, covered);
                    return new Merge(kept.size(), 0, 0);
                }
                heads.add(new Head(first, reader));
            }
            SnapshotFileName range = new SnapshotFileName(
                    kept.get(0).topic(),
                    kept.get(0).partition(),
                    kept.get(0).startOffset(),
                    kept.stream().mapToLong(SnapshotFileName::endOffset).max().orElseThrow());
            merged = SnapshotFile.open(
                    store,
                    config.effectiveFileCommit(),
                    config.localTempDir(),
                    schema,
                    rowGroupBytes,
                    view,
                    TMP_TAG,
                    range.topic(),
                    range.partition(),
                    range.startOffset(),
                    date,
                    clock.millis());
            long rows = 0;
            long duplicates = 0;
            long lastOffset = -1;
            while (!heads.isEmpty()) {
                Head head = heads.poll();
                if (head.offset == lastOffset) {
                    duplicates++;
                } else {
                    merged.write(head.row, head.offset);
                    lastOffset = head.offset;
                    rows++;
                }
                GenericRecord next = head.reader.read();
                if (next != null) {
                    heads.add(new Head(next, head.reader));
                }
            }
            SnapshotFile committing = merged;
            merged = null;
            SnapshotFileName name = committing.commit();
            if (name == null || !name.equals(range)) {
                throw new IOException("merged file came out as " + name + ", expected " + range.fileName());
            }
            deleteAll(view, date, kept);
            deleteAll(view, date, covered);
            return new Merge(1, rows, duplicates);
        } finally {
            if (merged != null) {
                merged.abort();
            }
            for (ParquetReader<GenericRecord> reader : readers) {
                reader.close();
            }
        }
    }

    private void deleteAll(String view, LocalDate date, List<SnapshotFileName> files) throws IOException {
        for (SnapshotFileName file : files) {
            store.delete(Layout.file(view, date, file));
        }
    }

    private void deleteStaleTemporaries(String view) throws IOException {
        for (FileStore.Entry entry : store.list(Layout.tmpDir(view))) {
            if (entry.name().startsWith(TMP_TAG)) {
                store.delete(Layout.tmpDir(view) + "/" + entry.name());
            }
        }
    }

    private static final class Head implements Comparable<Head> {
        final GenericRecord row;
        final long offset;
        final ParquetReader<GenericRecord> reader;

        Head(GenericRecord row, ParquetReader<GenericRecord> reader) {
            this.row = row;
            this.offset = (Long) row.get(SnapshotSchema.OFFSET);
            this.reader = reader;
        }

        @Override
        public int compareTo(Head other) {
            return Long.compare(offset, other.offset);
        }
    }

    @Override
    public void close() {
        store.close();
    }
}
