package io.fathom.offline;

import io.fathom.kafka.Worker;
import io.fathom.offline.internal.EventRows;
import io.fathom.offline.internal.FeatureColumns;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.SnapshotRows;
import io.fathom.offline.internal.SnapshotSchema;
import io.fathom.offline.internal.WriterLoop;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Writes the snapshots of {@code fathom.snapshots.<view>} to Parquet files in the offline store, and archives
 * the events of the source topics those views read (the event history), exactly once, on a thread of its own
 * that starts in the constructor and stops in {@link #close()}.
 *
 * <pre>{@code
 * try (OfflineWriter writer = new OfflineWriter(definitions,
 *         OfflineWriterConfig.builder()
 *                 .kafka(KafkaSettings.builder().bootstrapServers("localhost:9092").build())
 *                 .store(OfflineStoreConfig.builder(Path.of("offline")).build())
 *                 .build(),
 *         Clock.systemUTC())) {
 *     ... // runs until closed; writer.state(), rowsWritten() and failure() report how it goes
 * }
 * }</pre>
 *
 * Files: {@code <root>/<view>/date=YYYY-MM-DD/<topic>+<partition>+<startOffset>+<endOffset>.parquet} and
 * {@code <root>/_events/<source>/date=YYYY-MM-DD/<topic>+<partition>+<startOffset>+<endOffset>.parquet}
 * (see the module README for the columns and the exactly-once protocol). Instances with the same group
 * id share the partitions; writers of different groups must not share a view or a source.
 */
public final class OfflineWriter implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final HadoopFileStore store;
    private final WriterLoop loop;
    private final Worker worker;

    public OfflineWriter(FeatureDefinitions definitions, OfflineWriterConfig config, Clock clock) {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        List<WriterLoop.Target> targets = targets(definitions, config.views());
        this.store = HadoopFileStore.open(config.store());
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(
                    consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            store.close();
            throw new OfflineException("cannot create the offline writer's consumer: " + e.getMessage(), e);
        }
        this.loop = new WriterLoop(consumer, store, config.store().effectiveFileCommit(), targets, config, clock);
        this.worker = new Worker("fathom-offline-writer-" + config.groupId(), loop::run, loop::stop);
        worker.start();
    }

    /**
     * The snapshot topic of each view to write (all when {@code names} is empty), then the topic of each
     * source those views read, archived as the event history.
     */
    static List<WriterLoop.Target> targets(FeatureDefinitions definitions, List<String> names) {
        List<ViewDefinition> views = new ArrayList<>();
        if (names.isEmpty()) {
            views.addAll(definitions.views());
        } else {
            for (String name : names) {
                views.add(definitions
                        .view(name)
                        .orElseThrow(() -> new OfflineException("no view named " + name + " (views: "
                                + definitions.views().stream()
                                        .map(ViewDefinition::name)
                                        .toList() + ")")));
            }
        }
        List<WriterLoop.Target> targets = new ArrayList<>();
        Map<String, SourceDefinition> sources = new LinkedHashMap<>();
        for (ViewDefinition view : views) {
            if (view.name().equals(Layout.EVENTS_DIR)) {
                throw new OfflineException("view " + view.name() + ": the offline store keeps the event history"
                        + " in a directory of that name; rename the view");
            }
            definitions.source(view.source()).ifPresent(source -> sources.put(source.name(), source));
            try {
                targets.add(new WriterLoop.Target(
                        Layout.viewDir(view.name()),
                        view.snapshotTopic(),
                        new SnapshotRows(SnapshotSchema.of(view.name(), FeatureColumns.of(definitions, view)))));
            } catch (IllegalArgumentException e) {
                throw new OfflineException(e.getMessage(), e);
            }
        }
        Map<String, String> archivedTopics = new HashMap<>();
        for (SourceDefinition source : sources.values()) {
            String other = archivedTopics.putIfAbsent(source.topic(), source.name());
            if (other != null) {
                throw new OfflineException("sources " + other + " and " + source.name() + " both read topic "
                        + source.topic() + "; the event history archives a topic once, under one source");
            }
            try {
                targets.add(
                        new WriterLoop.Target(Layout.eventsDir(source.name()), source.topic(), EventRows.of(source)));
            } catch (IllegalArgumentException e) {
                throw new OfflineException(e.getMessage(), e);
            }
        }
        return targets;
    }

    /**
     * fathom-kafka's consumer properties ({@code read_committed}, no auto-commit: the files, not Kafka's
     * offsets, say where to resume), batches of up to 2 000 records unless the client overrides say otherwise.
     */
    static Map<String, Object> consumerProperties(OfflineWriterConfig config) {
        Map<String, Object> props = config.kafka().consumerProperties(config.groupId());
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return props;
    }

    /** {@link Worker.State#RUNNING} from construction until {@link #close()} or a failure. */
    public Worker.State state() {
        return worker.state();
    }

    /** The error that stopped the writer, if it is {@link Worker.State#FAILED}. */
    public Optional<Throwable> failure() {
        return worker.failure();
    }

    /** Rows written to Parquet files (committed or still open) since start. */
    public long rowsWritten() {
        return loop.rowsWritten();
    }

    /** Files committed since start. */
    public long filesCommitted() {
        return loop.filesCommitted();
    }

    /**
     * Records read since start and not stored: snapshot records without a value, and source events that
     * ingest dead-letters before any view sees them (undecodable, or without a valid event time).
     */
    public long recordsSkipped() {
        return loop.recordsSkipped();
    }

    @Override
    public String toString() {
        return "OfflineWriter[" + worker.name() + ", " + worker.state() + ", " + loop.rowsWritten() + " rows, "
                + loop.filesCommitted() + " files]";
    }

    /**
     * Commits the open files, commits their offsets and stops.
     *
     * @throws OfflineException when the writer had failed (the failure is the cause) or does not stop in time
     */
    @Override
    public void close() {
        worker.stop();
        boolean stopped = false;
        try {
            stopped = worker.join(CLOSE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfflineException("interrupted while stopping the offline writer", e);
        } finally {
            // the loop has ended (it closed its consumer): the store is no longer used
            if (stopped || worker.state() != Worker.State.RUNNING) {
                store.close();
            }
        }
        if (!stopped) {
            throw new OfflineException("the offline writer did not stop within " + CLOSE_TIMEOUT);
        }
        Optional<Throwable> failed = worker.failure();
        if (failed.isPresent()) {
            throw new OfflineException(
                    "the offline writer had failed: " + failed.get().getMessage(), failed.get());
        }
    }
}
