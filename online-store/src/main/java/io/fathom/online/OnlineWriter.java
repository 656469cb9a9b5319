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
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
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
 *                                                                   │ OnlineStoreException
 *                                                                   ▼
 *                              seek back to the batch's first offsets, pause, wait (backoff ×2, capped), resume
 * </pre>
 *
 * <p>Offsets are committed only after the store acknowledged the whole batch, so a crash or a store outage
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

    private void run() {
        Duration backoff = config.retryBackoffMin();
        try {
            consumer.subscribe(config.topics());
            while (!worker.stopRequested()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(config.pollTimeout());
                updateRecordsBehind();
                if (records.isEmpty()) {
                    continue;
                }
                List<StoredSnapshot> batch = decode(records);
                try {
                    store.write(batch);
                } catch (OnlineStoreException e) {
                    waitForStore(records, e, backoff);
                    backoff = min(backoff.multipliedBy(2), config.retryBackoffMax());
                    continue;
                }
                if (waitingForStore) {
                    LOG.info("Online store {} is writable again; catching up", store);
                }
                waitingForStore = false;
                backoff = config.retryBackoffMin();
                recordApplied(batch);
                commit(records);
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Online writer {}: closing the consumer failed", config.groupId(), e);
            }
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
     * Commits the offsets after the batch. A failed commit (a rebalance took the partitions) is only logged:
     * whoever owns them next replays the batch, which the store's rule (the greatest version wins, a replay never)
     * makes harmless.
     */
    private void commit(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            offsets.put(
                    partition,
                    new OffsetAndMetadata(
                            inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn(
                    "Online writer {}: committing {} failed; the batch will be replayed", config.groupId(), offsets, e);
        }
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

    /** Stops consuming and waits for the writer thread to finish (it closes its consumer). */
    @Override
    public void close() {
        worker.stop();
        try {
            if (!worker.join(CLOSE_TIMEOUT)) {
                LOG.warn("Online writer {} did not stop within {}", config.groupId(), CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "OnlineWriter[" + config.groupId() + ", " + config.topics() + ", " + worker.state()
                + (waitingForStore ? " (waiting for the store)" : "") + "]";
    }
}
