package io.fathom.offline.internal;

import io.fathom.offline.OfflineStoreConfig.FileCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file of a dataset (a view's snapshots or a source's events: see {@link Layout}) being written for one
 * partition and one date, under a commit protocol that never lets a reader (or a restarted writer) see
 * half a file:
 *
 * <ul>
 *   <li>{@link FileCommit#RENAME}: rows go to {@code <dataset>/_tmp/<topic>+<p>+<start>.<uuid>.tmp} on the
 *       store; {@link #commit} closes it and renames it to {@code <dataset>/date=D/<topic>+<p>+<start>+<end>.parquet}.
 *       A crash leaves only the temporary file, which the next owner of the partition deletes.
 *   <li>{@link FileCommit#UPLOAD}: rows go to a local temporary file; {@link #commit} closes it and
 *       uploads it under its final name, which on an object store appears only once complete.
 * </ul>
 *
 * The end offset, part of the final name, is known only at commit: it is the greatest offset written.
 */
public final class SnapshotFile {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);

    private final FileStore store;
    private final FileCommit protocol;
    private final String dataset;
    private final String topic;
    private final int partition;
    private final long startOffset;
    private final LocalDate date;
    private final long openedAtMillis;
    private final String storeTmp;
    private final Path localTmp;
    private final ParquetWriter<GenericRecord> writer;
    private long endOffset = -1;
    private long rows;

    private SnapshotFile(
            FileStore store,
            FileCommit protocol,
            String dataset,
            String topic,
            int partition,
            long startOffset,
            LocalDate date,
            long openedAtMillis,
            String storeTmp,
            Path localTmp,
            ParquetWriter<GenericRecord> writer) {
        this.store = store;
        this.protocol = protocol;
        this.dataset = dataset;
        this.topic = topic;
        this.partition = partition;
        this.startOffset = startOffset;
        this.date = date;
        this.openedAtMillis = openedAtMillis;
        this.storeTmp = storeTmp;
        this.localTmp = localTmp;
        this.writer = writer;
    }

    /**
     * Opens a file of {@code dataset} (a {@link Layout} dataset directory) whose first row will be the record
     * at {@code startOffset}; {@code tmpTag} goes in front
     * of the temporary file's name (the compactor's temporaries must not look like a writer's, which the
     * writer deletes on start; a writer's tag is empty).
     */
    public static SnapshotFile open(
            FileStore store,
            FileCommit protocol,
            Path localTempDir,
            Schema schema,
            long rowGroupBytes,
            String dataset,
            String tmpTag,
            String topic,
            int partition,
            long startOffset,
            LocalDate date,
            long nowMillis)
            throws IOException {
        String tmpName =
                tmpTag + Layout.tmpPrefix(topic, partition) + startOffset + "." + UUID.randomUUID() + Layout.TMP_SUFFIX;
        OutputFile output;
        String storeTmp = null;
        Path localTmp = null;
        if (protocol == FileCommit.UPLOAD) {
            Files.createDirectories(localTempDir);
            localTmp = localTempDir.resolve(Layout.localTmpName(dataset, tmpName));
            output = new LocalOutputFile(localTmp);
        } else if (protocol == FileCommit.RENAME) {
            storeTmp = Layout.tmpDir(dataset) + "/" + tmpName;
            output = store.create(storeTmp);
        } else {
            throw new IllegalArgumentException("unresolved file commit protocol " + protocol);
        }
        ParquetWriter<GenericRecord> writer = ParquetFiles.writer(output, schema, rowGroupBytes);
        return new SnapshotFile(
                store, protocol, dataset, topic, partition, startOffset, date, nowMillis, storeTmp, localTmp, writer);
    }

    public void write(GenericRecord row, long offset) throws IOException {
        if (offset < startOffset) {
            throw new IllegalArgumentException("offset " + offset + " is before the file's start " + startOffset);
        }
        writer.write(row);
        endOffset = Math.max(endOffset, offset);
        rows++;
    }

    public LocalDate date() {
        return date;
    }

    public long rows() {
        return rows;
    }

    /** Bytes written plus bytes buffered for the current row group. */
    public long dataSize() {
        return writer.getDataSize();
    }

    public long openedAtMillis() {
        return openedAtMillis;
    }

    public long startOffset() {
        return startOffset;
    }

    /**
     * Closes the file and moves it under its final name. Returns the name, or null for a file without
     * rows (which is discarded).
     */
    public SnapshotFileName commit() throws IOException {
        writer.close();
        if (rows == 0) {
            discardTemporary();
            return null;
        }
        SnapshotFileName name = new SnapshotFileName(topic, partition, startOffset, endOffset);
        String target = Layout.file(dataset, date, name);
        if (protocol == FileCommit.UPLOAD) {
            try {
                store.upload(localTmp, target);
            } finally {
                Files.deleteIfExists(localTmp);
            }
        } else {
            store.mkdirs(Layout.dateDir(dataset, date));
            if (!store.rename(storeTmp, target)) {
                // Only another writer of the same partition range can have committed this name; its rows are
                // the same records, so this copy is dropped.
                LOG.warn(
                        "{} already exists (written by another writer of partition {}-{}?); dropping this copy",
                        store.describe(target),
                        topic,
                        partition);
                store.delete(storeTmp);
            }
        }
        return name;
    }

    /** Closes and deletes the temporary file, committing nothing. */
    public void abort() {
        try {
            writer.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("closing an aborted file failed", e);
        }
        try {
            discardTemporary();
        } catch (IOException e) {
            LOG.warn(
                    "cannot delete the temporary file of an aborted write; the next owner of {}-{} will",
                    topic,
                    partition,
                    e);
        }
    }

    private void discardTemporary() throws IOException {
        if (localTmp != null) {
            Files.deleteIfExists(localTmp);
        } else {
            store.delete(storeTmp);
        }
    }
}
