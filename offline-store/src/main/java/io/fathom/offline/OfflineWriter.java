package io.fathom.offline;

import io.fathom.offline.internal.FeatureColumns;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.SnapshotSchema;
import io.fathom.offline.internal.WriterLoop;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the snapshots of {@code fathom.snapshots.<view>} to Parquet files in the offline store, exactly
 * once, on a thread of its own that starts in the constructor and stops in {@link #close()}.
 *
 * <pre>{@code
 * try (OfflineWriter writer = new OfflineWriter(definitions,
 *         OfflineWriterConfig.defaults("localhost:9092", OfflineStoreConfig.local(Path.of("offline"))),
 *         Clock.systemUTC())) {
 *     ... // runs until closed; writer.status() reports progress or the failure that stopped it
 * }
 * }</pre>
 *
 * Files: {@code <root>/<view>/date=YYYY-MM-DD/<topic>+<partition>+<startOffset>+<endOffset>.parquet}
 * (see the module README for the columns and the exactly-once protocol). Instances with the same group
 * id share the partitions.
 */
public final class OfflineWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    /** What the writer is doing. */
    public enum State {
        RUNNING,
        STOPPED,
        FAILED
    }

    /** A point-in-time view of the writer. */
    public record Status(State state, long rowsWritten, long filesCommitted, Optional<Throwable> failure) {}

    private final HadoopFileStore store;
    private final WriterLoop loop;
    private final Thread thread;
    private volatile Throwable failure;

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
        this.thread = new Thread(this::run, "fathom-offline-writer-" + config.groupId());
        thread.start();
    }

    private void run() {
        try {
            loop.run();
        } catch (Throwable t) {
            failure = t;
            LOG.error("offline writer stopped by a failure", t);
        }
    }

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
        for (ViewDefinition view : views) {
            try {
                targets.add(new WriterLoop.Target(
                        view.name(),
                        view.snapshotTopic(),
                        SnapshotSchema.of(view.name(), FeatureColumns.of(definitions, view))));
            } catch (IllegalArgumentException e) {
                throw new OfflineException(e.getMessage(), e);
            }
        }
        return targets;
    }

    static Map<String, Object> consumerProperties(OfflineWriterConfig config) {
        Map<String, Object> props = new HashMap<>(config.consumerProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return props;
    }

    public Status status() {
        Throwable failed = failure;
        State state = failed != null ? State.FAILED : thread.isAlive() ? State.RUNNING : State.STOPPED;
        return new Status(state, loop.rowsWritten(), loop.filesCommitted(), Optional.ofNullable(failed));
    }

    /**
     * Commits the open files, commits their offsets and stops.
     *
     * @throws OfflineException when the writer had failed (the failure is the cause) or does not stop in time
     */
    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(CLOSE_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OfflineException("interrupted while stopping the offline writer", e);
        } finally {
            if (!thread.isAlive()) {
                store.close();
            }
        }
        if (thread.isAlive()) {
            throw new OfflineException("the offline writer did not stop within " + CLOSE_TIMEOUT);
        }
        if (failure != null) {
            throw new OfflineException("the offline writer had failed: " + failure.getMessage(), failure);
        }
    }
}
