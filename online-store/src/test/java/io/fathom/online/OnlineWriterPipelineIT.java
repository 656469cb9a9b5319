package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.GroupOffsets;
import io.fathom.kafka.Worker;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.MutableClock;
import io.fathom.testkit.TestProducer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's pipeline (the next batch is polled while the store writes one): offsets are committed only for what
 * the store acknowledged, and a batch polled while a failing write ran is not lost, whichever partitions it holds.
 * One snapshot per user, so a lost batch shows as users the store does not hold; user i at offset i / 4 of partition
 * i % 4; small batches (20 snapshots), so there are many, and some span two partitions.
 */
@ExtendWith(KafkaExtension.class)
class OnlineWriterPipelineIT {
    private static final AvroCodec<FeatureSnapshot> CODEC = AvroCodec.of(FeatureSnapshot.getClassSchema());
    private static final int USERS = 200;
    private static final int BATCH = 20;
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_764_000_000_000L);
    private final String view = "pipeline_" + System.nanoTime();
    private final String topic = ViewDefinition.snapshotTopicOf(view);

    /** A real store whose writes wait for a permit each, and that remembers the users of every write it finished. */
    private static final class GatedStore implements OnlineStore {
        private final OnlineStore store;
        private final Semaphore permits = new Semaphore(0);
        /** Writes begun; the writer runs one at a time, so write n + 1 has begun only once write n returned. */
        private final AtomicInteger begun = new AtomicInteger();

        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        GatedStore(OnlineStore store) {
            this.store = store;
        }

        @Override
        public void write(List<StoredSnapshot> snapshots) {
            begun.incrementAndGet();
            permits.acquireUninterruptibly();
            store.write(snapshots);
            snapshots.forEach(snapshot -> acknowledged.add(snapshot.entityKey()));
        }

        @Override
        public List<StoredSnapshot> read(String view, List<String> entityKeys) {
            return store.read(view, entityKeys);
        }

        /** Lets every write through from now on. */
        void open() {
            permits.release(Integer.MAX_VALUE / 2);
        }

        @Override
        public void close() {}
    }

    /** A real store whose writes number {@code failing} throw a {@link StoreUnavailableException}, written or not. */
    private static final class FailingStore implements OnlineStore {
        private final OnlineStore store;
        private final Set<Integer> failing;
        private final AtomicInteger writes = new AtomicInteger();

        FailingStore(OnlineStore store, Set<Integer> failing) {
            this.store = store;
            this.failing = failing;
        }

        @Override
        public void write(List<StoredSnapshot> snapshots) {
            int write = writes.incrementAndGet();
            if (failing.contains(write)) {
                // half of the batch reaches the store before the failure, as when Redis goes away mid-batch
                store.write(snapshots.subList(0, snapshots.size() / 2));
                throw new StoreUnavailableException("failing store", "write " + write, "down on purpose", null);
            }
            store.write(snapshots);
        }

        @Override
        public List<StoredSnapshot> read(String view, List<String> entityKeys) {
            return store.read(view, entityKeys);
        }

        @Override
        public void close() {}
    }

    @Test
    void commitsOnlyTheOffsetsOfWhatTheStoreAcknowledged(KafkaBroker broker) throws Exception {
        produceOneSnapshotPerUser(broker);
        try (RocksDbOnlineStore rocks = RocksDbOnlineStore.open(dir, Map.of(view, Duration.ofDays(7)), clock);
                GatedStore store = new GatedStore(rocks);
                Admin admin = Admin.create(broker.kafka().adminProperties())) {
            OnlineWriter writer = start(store, broker, "pipeline-gated-" + view);
            try {
                int released = 0;
                while (true) {
                    int before = released;
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> store.begun.get() > before || store.acknowledged.size() == USERS);
                    if (store.begun.get() == released) {
                        break; // every snapshot acknowledged, no write waiting
                    }
                    // Write n + 1 waits: every offset the group has committed is of a snapshot the store acknowledged.
                    Map<Integer, Long> committed = GroupOffsets.committed(admin, "pipeline-gated-" + view, topic);
                    List<String> committedUsers = new ArrayList<>();
                    committed.forEach((partition, offset) -> {
                        for (long k = 0; k < offset; k++) {
                            committedUsers.add("u" + (k * PARTITIONS + partition));
                        }
                    });
                    assertThat(store.acknowledged)
                            .as("users acknowledged while write %d waits, against offsets %s", released + 1, committed)
                            .containsAll(committedUsers);
                    store.permits.release();
                    released++;
                }
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> committedTotal(admin, "pipeline-gated-" + view) == USERS);
                assertThat(released).isGreaterThanOrEqualTo(USERS / BATCH);
                assertThat(writer.appliedSnapshots()).isEqualTo(USERS);
                assertThat(rocks.read(view, users(0, USERS))).doesNotContainNull();
            } finally {
                store.open();
                writer.close();
            }
            assertThat(writer.state()).isEqualTo(Worker.State.STOPPED);
        }
    }

    @Test
    void aBatchPolledWhileAWriteFailedIsWrittenAfterIt(KafkaBroker broker) throws Exception {
        produceOneSnapshotPerUser(broker);
        try (RocksDbOnlineStore rocks = RocksDbOnlineStore.open(dir, Map.of(view, Duration.ofDays(7)), clock);
                FailingStore store = new FailingStore(rocks, Set.of(2, 3, 6));
                Admin admin = Admin.create(broker.kafka().adminProperties())) {
            OnlineWriter writer = start(store, broker, "pipeline-failing-" + view);
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> committedTotal(admin, "pipeline-failing-" + view) == USERS);
                assertThat(rocks.read(view, users(0, USERS)))
                        .as("every user's snapshot, though writes 2, 3 and 6 failed")
                        .doesNotContainNull();
                assertThat(writer.failedWrites()).isEqualTo(3);
                assertThat(writer.waitingForStore()).isFalse();
                assertThat(writer.state()).isEqualTo(Worker.State.RUNNING);
            } finally {
                writer.close();
            }
            assertThat(writer.state()).isEqualTo(Worker.State.STOPPED);
        }
    }

    private OnlineWriter start(OnlineStore store, KafkaBroker broker, String group) {
        return new OnlineWriter(
                store,
                OnlineWriterConfig.builder()
                        .kafka(broker.kafka())
                        .groupId(group)
                        .views(List.of(view))
                        .maxPollRecords(BATCH)
                        .retryBackoffMin(Duration.ofMillis(20))
                        .retryBackoffMax(Duration.ofMillis(100))
                        .build(),
                clock);
    }

    /** User {@code u<i>}'s one snapshot, in user order, at offset i / 4 of partition i % 4. */
    private void produceOneSnapshotPerUser(KafkaBroker broker) {
        broker.createTopics(PARTITIONS, topic);
        long now = clock.millis();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int user = 0; user < USERS; user++) {
            FeatureSnapshot snapshot = TestViews.featureSnapshot(TestViews.USER, "u" + user, now - user, now, 1);
            snapshot.setView(view);
            records.add(new ProducerRecord<>(topic, user % PARTITIONS, "u" + user, CODEC.encode(snapshot)));
        }
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
    }

    private long committedTotal(Admin admin, String group) throws Exception {
        return GroupOffsets.committed(admin, group, topic).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    private static List<String> users(int from, int to) {
        return IntStream.range(from, to).mapToObj(user -> "u" + user).toList();
    }
}
