package io.fathom.online;

import io.fathom.kafka.Worker;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.schemas.ViewDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the snapshot topics of some views to an {@link OnlineStore}, on a thread of its own, from
 * construction until {@link #close()}.
 *
 * <pre>
 *  fathom.snapshots.&lt;view&gt; ──poll (read_committed)──▶ decode ──▶ store.write(batch) ──ack──▶ commit offsets
 *                                    ▲                       (store thread)             (async)
 *                                    └── the next batch is polled and decoded while the store writes this one
 *                                                                   │ OnlineStoreException
 *                                                                   ▼
 *                              seek back to the batch's first offsets, pause, wait (backoff ×2, capped), resume
 * </pre>
 *
 * <p>Pipelined, one write in flight: while the store writes a batch (on the writer's store thread), the consumer
 * thread polls and decodes the next one, and hands it over once the store has acknowledged the first; so the
 * store writes batches in the order of their offsets, one at a time, and spends no time waiting for a poll, a
 * decode or an offset commit. Offsets are committed (asynchronously; a failed commit is logged, and the next
 * one covers it) only after the store acknowledged the whole batch, so a crash or a store outage
 * loses nothing: the writer (or whichever group member gets the partitions) resumes from the last committed
 * offset, and replays are harmless because the store keeps the latest state of each key (the greatest version). While the store
 * is down, the partitions stay assigned but paused (the consumer keeps polling, so it stays in its group),
 * and the batch is retried after a back-off that doubles up to {@link OnlineWriterConfig#retryBackoffMax()};
 * once the store answers, the writer catches up at full speed.
 *
 * <p>A record that is not a snapshot (a tombstone, undecodable bytes, a snapshot of another view than its
 * topic's) is skipped, counted in {@link #skippedRecords()} and logged once. Any other error stops the
 * writer: {@link #state()} becomes {@link Worker.State#FAILED} and {@link #failure()} holds the cause. The
 * loop runs in a fathom-kafka {@link Worker}.
 */
public final class OnlineWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How fresh the store is for one view.
     *
     * @param lastEventTs the greatest {@code event_ts} of the snapshots applied so far
     * @param lastCreatedTs the greatest {@code created_ts} (ingest time) of the snapshots applied so far
     * @param appliedAt when the writer last applied a batch with snapshots of the view (writer's clock)
     */
    public record Freshness(long lastEventTs, long lastCreatedTs, long appliedAt) {}

    private final OnlineStore store;
    private final OnlineWriterConfig config;
    private final Clock clock;
    private final KafkaConsumer<String, byte[]> consumer;
    private final SnapshotCodec codec = new SnapshotCodec();
    private final Worker worker;
    /** Runs the store's writes, one at a time, off the consumer's thread. */
    private final ExecutorService storeThread;

    private final Map<String, Freshness> freshness = new ConcurrentHashMap<>();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private volatile long recordsBehind = -1;
    private volatile boolean waitingForStore;

    /** Starts consuming; the writer thread owns the consumer from here on. */
    public OnlineWriter(OnlineStore store, OnlineWriterConfig config, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.consumer =
                new KafkaConsumer<>(config.consumerProperties(), new StringDeserializer(), new ByteArrayDeserializer());
        this.storeThread = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fathom-online-writer-" + config.groupId() + "-store");
            thread.setDaemon(true);
            return thread;
        });
        this.worker = new Worker("fathom-online-writer-" + config.groupId(), this::run, consumer::wakeup);
        worker.start();
    }

    /** {@link Worker.State#RUNNING} from construction until {@link #close()} or a failure. */
    public Worker.State state() {
        return worker.state();
    }

    /**
     * Whether the last store write failed: the partitions are paused and the batch will be retried (the
     * writer is still {@link Worker.State#RUNNING}).
     */
    public boolean waitingForStore() {
        return waitingForStore;
    }

    /** The error that stopped the writer, if it is {@link Worker.State#FAILED}. */
    public Optional<Throwable> failure() {
        return worker.failure();
    }

    /** Freshness per view, for the views that have had a snapshot applied. */
    public Map<String, Freshness> freshness() {
        return Map.copyOf(freshness);
    }

    /**
     * Records between the writer's position and the end of its assigned partitions, as of the last poll (the
     * consumer lag for metrics); -1 until known.
     */
    public long recordsBehind() {
        return recordsBehind;
    }

    /** Snapshots applied to the store (acknowledged by it) since start. */
    public long appliedSnapshots() {
        return applied.get();
    }

    /** Records skipped because they held no snapshot of their topic's view. */
    public long skippedRecords() {
        return skipped.get();
    }

    /** Store writes that failed (and were retried). */
    public long failedWrites() {
        return failedWrites.get();
    }

    /** A batch the store is writing: its records (for their offsets) and the write's outcome. */
    private record InFlight(ConsumerRecords<String, byte[]> records, List<StoredSnapshot> batch, Future<?> write) {}

    private void run() {
        Duration backoff = config.retryBackoffMin();
        InFlight inFlight = null;
        try {
            consumer.subscribe(config.topics());
            while (!worker.stopRequested()) {
                // While the store writes, take only what the consumer has fetched by now, then wait for the store.
                ConsumerRecords<String, byte[]> records =
                        consumer.poll(inFlight == null ? config.pollTimeout() : Duration.ZERO);
                updateRecordsBehind();
                if (inFlight != null) {
                    InFlight written = inFlight;
                    inFlight = null;
                    try {
                        awaitWrite(written);
                    } catch (OnlineStoreException e) {
                        // Neither batch is applied: rewind the later one first, so that where both have a
                        // partition the earlier batch's first offset wins.
                        rewind(records);
                        waitForStore(written.records(), e, backoff);
                        backoff = min(backoff.multipliedBy(2), config.retryBackoffMax());
                        continue;
                    }
                    if (waitingForStore) {
                        LOG.info("Online store {} is writable again; catching up", store);
                    }
                    waitingForStore = false;
                    backoff = config.retryBackoffMin();
                    recordApplied(written.batch());
                    commit(written.records());
                }
                if (!records.isEmpty()) {
                    List<StoredSnapshot> batch = decode(records);
                    inFlight = new InFlight(records, batch, storeThread.submit(() -> store.write(batch)));
                }
            }
        } finally {
            finish(inFlight);
        }
    }

    /**
     * On the way out: waits for the write in flight, if any, and commits its offsets once it is acknowledged (with
     * the commits before it); then closes the consumer.
     */
    private void finish(InFlight inFlight) {
        try {
            if (inFlight != null) {
                awaitWrite(inFlight);
                recordApplied(inFlight.batch());
                consumer.commitSync(nextOffsets(inFlight.records()));
            }
        } catch (RuntimeException e) {
            LOG.warn(
                    "Online writer {}: the last batch was not applied or its offsets not committed; it will be replayed",
                    config.groupId(),
                    e);
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Online writer {}: closing the consumer failed", config.groupId(), e);
            }
        }
    }

    /**
     * Waits for a batch's write: returns once the store acknowledged it, throws what the store threw (an {@link
     * OnlineStoreException} is retried by the caller; anything else stops the writer).
     */
    private static void awaitWrite(InFlight inFlight) {
        try {
            inFlight.write().get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the store write failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        }
    }

    /**
     * The store did not take the batch: rewind to its first offsets (still the committed ones), pause every
     * assigned partition, wait out the back-off with a poll that keeps the consumer in its group, resume.
     */
    private void waitForStore(ConsumerRecords<String, byte[]> records, OnlineStoreException e, Duration backoff) {
        failedWrites.incrementAndGet();
        if (!waitingForStore) {
            LOG.warn(
                    "Online store write failed ({}); pausing {} and retrying with back-off up to {}",
                    e.getMessage(),
                    config.topics(),
                    config.retryBackoffMax());
        } else {
            LOG.debug("Online store still failing, next retry in {}: {}", backoff, e.getMessage());
        }
        waitingForStore = true;
        rewind(records);
        consumer.pause(consumer.assignment());
        // Partitions newly assigned by a rebalance during this poll are not paused and may return records:
        // they are not applied now, so rewind them too.
        ConsumerRecords<String, byte[]> unexpected = consumer.poll(backoff);
        rewind(unexpected);
        consumer.resume(consumer.paused());
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, records.records(partition).get(0).offset());
            }
        }
    }

    /**
     * Slices each record's snapshot (schemas' {@link SnapshotCodec}): the state's bytes go to the store as they
     * are, and the feature values, which the store does not keep, are never decoded.
     */
    private List<StoredSnapshot> decode(ConsumerRecords<String, byte[]> records) {
        List<StoredSnapshot> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            if (record.value() == null) {
                skip(record, "a tombstone");
                continue;
            }
            SlicedSnapshot snapshot;
            try {
                snapshot = codec.decode(record.value());
            } catch (IllegalArgumentException e) {
                skip(record, "not a FeatureSnapshot: " + e.getMessage());
                continue;
            }
            if (!record.topic().equals(ViewDefinition.snapshotTopicOf(snapshot.view()))) {
                skip(record, "a snapshot of view " + snapshot.view());
                continue;
            }
            batch.add(StoredSnapshot.of(snapshot));
        }
        return batch;
    }

    private void skip(ConsumerRecord<String, byte[]> record, String why) {
        if (skipped.getAndIncrement() == 0) {
            LOG.warn(
                    "Skipping {}-{}@{}: {} (further skips are only counted)",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    why);
        }
    }

    private void recordApplied(List<StoredSnapshot> batch) {
        long now = clock.millis();
        Map<String, long[]> newest = new HashMap<>();
        for (StoredSnapshot snapshot : batch) {
            long[] times = newest.computeIfAbsent(snapshot.view(), v -> new long[] {Long.MIN_VALUE, Long.MIN_VALUE});
            times[0] = Math.max(times[0], snapshot.eventTs());
            times[1] = Math.max(times[1], snapshot.createdTs());
        }
        newest.forEach((view, times) -> freshness.merge(
                view,
                new Freshness(times[0], times[1], now),
                (old, update) -> new Freshness(
                        Math.max(old.lastEventTs(), update.lastEventTs()),
                        Math.max(old.lastCreatedTs(), update.lastCreatedTs()),
                        now)));
        applied.addAndGet(batch.size());
    }

    /**
     * Commits the offsets after the batch, without waiting for the answer (commits reach the group in order). A
     * failed commit (a rebalance took the partitions) is only logged: the next commit covers it, or whoever owns the
     * partitions next replays the batch, which the store's rule (the greatest version wins, a replay never) makes
     * harmless.
     */
    private void commit(ConsumerRecords<String, byte[]> records) {
        consumer.commitAsync(nextOffsets(records), (offsets, e) -> {
            if (e != null) {
                LOG.warn(
                        "Online writer {}: committing {} failed; the batch will be replayed unless a later commit "
                                + "covers it",
                        config.groupId(),
                        offsets,
                        e);
            }
        });
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(
                    partition,
                    new OffsetAndMetadata(
                            inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        return offsets;
    }

    private void updateRecordsBehind() {
        Set<TopicPartition> assignment = consumer.assignment();
        if (assignment.isEmpty()) {
            return;
        }
        long behind = 0;
        for (TopicPartition partition : assignment) {
            OptionalLong lag = consumer.currentLag(partition);
            if (lag.isEmpty()) {
                return; // not known yet for every partition: keep the previous figure
            }
            behind += lag.getAsLong();
        }
        recordsBehind = behind;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Stops consuming and waits for the writer thread to finish (it waits for the write in flight, commits it and
     * closes its consumer), then stops the store thread.
     */
    @Override
    public void close() {
        worker.stop();
        try {
            if (!worker.join(CLOSE_TIMEOUT)) {
                LOG.warn("Online writer {} did not stop within {}", config.groupId(), CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            storeThread.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "OnlineWriter[" + config.groupId() + ", " + config.topics() + ", " + worker.state()
                + (waitingForStore ? " (waiting for the store)" : "") + "]";
    }
}
