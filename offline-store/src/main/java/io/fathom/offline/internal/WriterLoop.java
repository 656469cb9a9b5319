package io.fathom.offline.internal;

import io.fathom.offline.OfflineStoreConfig.FileCommit;
import io.fathom.offline.OfflineWriterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline writer's consume loop: records of the targets' topics (read committed) to Parquet files,
 * exactly once. A {@link Target} says which dataset directory a topic goes to and how its records become
 * rows ({@link RowFormat}): the snapshots of {@code fathom.snapshots.<view>} to {@code <view>}, the events of a
 * source's topic to {@code _events/<source>}; the protocol below is the same for every target.
 *
 * <p>Protocol. Each assigned partition has at most one open file. Records are appended in offset order;
 * a record whose event date differs from the open file's, or a file reaching its row, byte or age limit,
 * commits the open file ({@link SnapshotFile#commit}: close, then rename or upload under
 * {@code <topic>+<p>+<start>+<end>.parquet}). On assignment the writer deletes the partition's leftover
 * temporary files and seeks to one past the greatest end offset among the partition's committed files
 * (or to the beginning when there are none): the files, not Kafka's committed offsets, say where to
 * resume. Kafka offsets are committed only after a file is in place, so they trail the files and serve
 * monitoring (consumer lag) only. A revoked partition's open file is committed; a lost partition's is
 * discarded (another writer may own it already).
 */
public final class WriterLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WriterLoop.class);

    /** A topic, the dataset directory its files go to ({@link Layout}), and how its records become rows. */
    public record Target(String dataset, String topic, RowFormat format) {}

    private final Consumer<byte[], byte[]> consumer;
    private final FileStore store;
    private final FileCommit protocol;
    private final Path localTempDir;
    private final Map<String, Target> targets;
    private final OfflineWriterConfig config;
    private final Clock clock;
    private final Map<TopicPartition, PartitionSink> sinks = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final Set<String> skippingTopics = new HashSet<>();
    private volatile boolean stopping;

    public WriterLoop(
            Consumer<byte[], byte[]> consumer,
            FileStore store,
            FileCommit protocol,
            List<Target> targets,
            OfflineWriterConfig config,
            Clock clock) {
        this.consumer = consumer;
        this.store = store;
        this.protocol = protocol;
        this.localTempDir = config.store().localTempDir();
        this.targets = new LinkedHashMap<>();
        targets.forEach(t -> this.targets.put(t.topic(), t));
        this.config = config;
        this.clock = clock;
    }

    public long rowsWritten() {
        return rows.get();
    }

    public long filesCommitted() {
        return files.get();
    }

    /** Records read and not stored (see {@link RowFormat.Skip}). */
    public long recordsSkipped() {
        return skipped.get();
    }

    /** Asks the loop to commit its open files and stop; returns at once. */
    public void stop() {
        stopping = true;
        consumer.wakeup();
    }

    @Override
    public void run() {
        boolean clean = false;
        try {
            consumer.subscribe(List.copyOf(targets.keySet()), new Rebalance());
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(config.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    PartitionSink sink = sinks.get(partition);
                    if (sink == null) {
                        throw new IllegalStateException("records of unassigned partition " + partition);
                    }
                    for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                        sink.append(record);
                    }
                }
                long now = clock.millis();
                for (PartitionSink sink : sinks.values()) {
                    sink.rollIfOlderThan(now - config.rollInterval().toMillis());
                }
                commitOffsets();
            }
            for (PartitionSink sink : sinks.values()) {
                sink.commitOpenFile();
            }
            commitOffsets();
            clean = true;
        } catch (IOException e) {
            throw new UncheckedIOException("offline writer: " + e.getMessage(), e);
        } finally {
            if (!clean) {
                sinks.values().forEach(PartitionSink::abort);
            }
            sinks.clear();
            consumer.close();
        }
    }

    private void commitOffsets() {
        if (toCommit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(toCommit);
        } catch (CommitFailedException | RebalanceInProgressException | RetriableException | WakeupException e) {
            // The files are the record of progress; Kafka's offsets only report lag.
            LOG.debug("offset commit skipped: {}", e.toString());
        }
        toCommit.clear();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<String, List<TopicPartition>> byTopic = new HashMap<>();
            partitions.forEach(p ->
                    byTopic.computeIfAbsent(p.topic(), k -> new ArrayList<>()).add(p));
            try {
                for (Map.Entry<String, List<TopicPartition>> entry : byTopic.entrySet()) {
                    Target target = targets.get(entry.getKey());
                    Map<Integer, Long> ends = committedEnds(store, target.dataset(), target.topic());
                    for (TopicPartition partition : entry.getValue()) {
                        deleteTemporaryFiles(target, partition.partition());
                        Long end = ends.get(partition.partition());
                        if (end == null) {
                            consumer.seekToBeginning(List.of(partition));
                        } else {
                            consumer.seek(partition, end + 1);
                        }
                        sinks.put(partition, new PartitionSink(partition, target));
                        LOG.info(
                                "{}: resuming at {}", partition, end == null ? "the beginning" : "offset " + (end + 1));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot resume " + partitions + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                for (TopicPartition partition : partitions) {
                    PartitionSink sink = sinks.remove(partition);
                    if (sink != null) {
                        sink.commitOpenFile();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot commit the files of revoked " + partitions, e);
            }
            commitOffsets();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            for (TopicPartition partition : partitions) {
                PartitionSink sink = sinks.remove(partition);
                if (sink != null) {
                    sink.abort();
                }
                toCommit.remove(partition);
            }
        }
    }

    /** The greatest committed end offset of each partition of a topic in a dataset, over every date. */
    public static Map<Integer, Long> committedEnds(FileStore store, String dataset, String topic) throws IOException {
        Map<Integer, Long> ends = new HashMap<>();
        for (FileStore.Entry dir : store.list(dataset)) {
            Optional<LocalDate> date = Layout.parseDateDir(dir.name());
            if (!dir.directory() || date.isEmpty()) {
                continue;
            }
            for (FileStore.Entry file : store.list(Layout.dateDir(dataset, date.get()))) {
                SnapshotFileName.parse(file.name())
                        .filter(name -> name.topic().equals(topic))
                        .ifPresent(name -> ends.merge(name.partition(), name.endOffset(), Math::max));
            }
        }
        return ends;
    }

    private void deleteTemporaryFiles(Target target, int partition) throws IOException {
        String prefix = Layout.tmpPrefix(target.topic(), partition);
        String tmpDir = Layout.tmpDir(target.dataset());
        for (FileStore.Entry entry : store.list(tmpDir)) {
            if (entry.name().startsWith(prefix) && entry.name().endsWith(Layout.TMP_SUFFIX)) {
                LOG.info("deleting {}, left by an earlier writer", store.describe(tmpDir + "/" + entry.name()));
                store.delete(tmpDir + "/" + entry.name());
            }
        }
        if (protocol == FileCommit.UPLOAD && Files.isDirectory(localTempDir)) {
            try (DirectoryStream<Path> stale = Files.newDirectoryStream(
                    localTempDir, Layout.localTmpName(target.dataset(), prefix) + "*" + Layout.TMP_SUFFIX)) {
                for (Path path : stale) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    /** The open file of one assigned partition. */
    private final class PartitionSink {
        private final TopicPartition partition;
        private final Target target;
        private SnapshotFile open;

        PartitionSink(TopicPartition partition, Target target) {
            this.partition = partition;
            this.target = target;
        }

        void append(ConsumerRecord<byte[], byte[]> record) throws IOException {
            RowFormat.Converted converted = target.format().convert(record);
            if (converted instanceof RowFormat.Skip skip) {
                skipped.incrementAndGet();
                if (skippingTopics.add(partition.topic())) {
                    LOG.warn(
                            "{}: not storing offset {}: {} (such records are counted; the first of each topic logged)",
                            partition,
                            record.offset(),
                            skip.reason());
                }
                return;
            }
            RowFormat.Row row = (RowFormat.Row) converted;
            LocalDate date = Layout.date(row.eventTs());
            if (open != null && !open.date().equals(date)) {
                commitOpenFile();
            }
            if (open == null) {
                open = SnapshotFile.open(
                        store,
                        protocol,
                        localTempDir,
                        target.format().schema(),
                        config.rowGroupBytes(),
                        target.dataset(),
                        "",
                        partition.topic(),
                        partition.partition(),
                        record.offset(),
                        date,
                        clock.millis());
            }
            open.write(row.row(), record.offset());
            rows.incrementAndGet();
            if (open.rows() >= config.rollRows() || open.dataSize() >= config.rollBytes()) {
                commitOpenFile();
            }
        }

        void rollIfOlderThan(long openedBefore) throws IOException {
            if (open != null && open.openedAtMillis() <= openedBefore) {
                commitOpenFile();
            }
        }

        void commitOpenFile() throws IOException {
            if (open == null) {
                return;
            }
            SnapshotFile file = open;
            open = null;
            SnapshotFileName name = file.commit();
            if (name != null) {
                files.incrementAndGet();
                toCommit.put(partition, new OffsetAndMetadata(name.endOffset() + 1));
                LOG.debug("committed {}", name.fileName());
            }
        }

        void abort() {
            if (open != null) {
                open.abort();
                open = null;
            }
        }
    }
}
