package io.fathom.ingest.internal;

import io.fathom.core.WatermarkTracker;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One view task's watermark, as Kafka Streams keeps it: a {@link WatermarkTracker} fed with each event's source
 * partition, whose watermark is kept in a changelogged store of the task, so that after a restart or a move to
 * another instance the task goes on from where it was (the partitions' progress is learnt again from the events;
 * until every source partition has been heard from or has gone idle, the watermark holds where it was). The store
 * is written behind ({@link WriteBehindStore}): the watermark moves with nearly every event, and reaches the
 * changelog once per commit. Its value is the watermark as 8 bytes, big-endian (what Kafka's {@code
 * LongSerializer} writes).
 */
final class TaskWatermark {
    private final String storeName;
    private final String key;
    private final Duration idleTimeout;
    private final int partitions;
    private final Clock clock;
    private KeyValueStore<String, byte[]> store;
    private WatermarkTracker tracker;
    private long stored;

    /**
     * @param key the store key (the view's name)
     * @param partitions how many partitions the view's source topic has, or 0 if that is not known
     */
    TaskWatermark(String storeName, String key, Duration idleTimeout, int partitions, Clock clock) {
        this.storeName = storeName;
        this.key = key;
        this.idleTimeout = idleTimeout;
        this.partitions = partitions;
        this.clock = clock;
    }

    void init(ProcessorContext<?, ?> context) {
        store = context.getStateStore(storeName);
        byte[] restored = store.get(key);
        stored = restored == null ? Long.MIN_VALUE : ByteBuffer.wrap(restored).getLong();
        tracker = new WatermarkTracker(idleTimeout, partitions, clock, stored);
    }

    /** Records an event from the source partition it was read from; the watermark to judge it by. */
    long observe(int sourcePartition, long eventTs) {
        long watermark = tracker.observe(sourcePartition, eventTs);
        if (watermark != stored) {
            store.put(key, ByteBuffer.allocate(Long.BYTES).putLong(watermark).array());
            stored = watermark;
        }
        return watermark;
    }
}
