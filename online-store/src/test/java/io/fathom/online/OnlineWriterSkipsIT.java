package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.Worker;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.MutableClock;
import io.fathom.testkit.TestProducer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer on a snapshot topic holding more than snapshots of its view: tombstones, undecodable bytes and
 * a snapshot of another view are skipped and counted, everything else is applied, and close stops it.
 */
@ExtendWith(KafkaExtension.class)
class OnlineWriterSkipsIT {
    private static final AvroCodec<FeatureSnapshot> CODEC = AvroCodec.of(FeatureSnapshot.getClassSchema());

    @TempDir
    Path dir;

    @Test
    void skipsWhatIsNotASnapshotOfItsViewAndAppliesTheRest(KafkaBroker broker) {
        String view = "skips_" + System.nanoTime();
        String topic = ViewDefinition.snapshotTopicOf(view);
        broker.createTopics(2, topic);
        MutableClock clock = new MutableClock(1_764_000_000_000L);
        long now = clock.millis();

        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (int user = 0; user < 50; user++) {
            for (int version = 1; version <= 3; version++) {
                FeatureSnapshot snapshot = TestViews.featureSnapshot(
                        TestViews.USER, "u" + user, now - 100 + version, now + version, version);
                snapshot.setView(view);
                records.add(new ProducerRecord<>(topic, "u" + user, CODEC.encode(snapshot)));
            }
        }
        records.add(new ProducerRecord<>(topic, "u1", null));
        records.add(new ProducerRecord<>(topic, "u2", "not avro".getBytes(StandardCharsets.UTF_8)));
        records.add(new ProducerRecord<>(
                topic, "u3", CODEC.encode(TestViews.featureSnapshot(TestViews.USER, "u3", now + 50, now + 50, 1))));
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }

        Map<String, Duration> ttls = Map.of(view, Duration.ofDays(7), TestViews.USER, Duration.ofDays(7));
        try (RocksDbOnlineStore store = RocksDbOnlineStore.open(dir, ttls, clock)) {
            OnlineWriter writer = OnlineWriters.start(store, broker.kafka(), "skips-" + view, List.of(view), clock);
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> writer.appliedSnapshots() == 150);
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.recordsBehind() == 0);

                assertThat(writer.skippedRecords()).isEqualTo(3);
                assertThat(writer.state()).isEqualTo(Worker.State.RUNNING);
                assertThat(writer.freshness())
                        .containsOnlyKeys(view)
                        .containsEntry(view, new OnlineWriter.Freshness(now - 97, now + 3, now));
                List<StoredSnapshot> stored = store.read(view, List.of("u0", "u3", "u49"));
                assertThat(stored).extracting(StoredSnapshot::eventTs).containsOnly(now - 97);
                assertThat(stored).extracting(StoredSnapshot::version).containsOnly(3L);
                assertThat(store.read(TestViews.USER, List.of("u3"))).containsOnlyNulls();
            } finally {
                writer.close();
            }
            assertThat(writer.state()).isEqualTo(Worker.State.STOPPED);
            assertThat(writer.failure()).isEmpty();
        }
    }
}
