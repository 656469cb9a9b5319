package io.fathom.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.Topics;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.DriftReport;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.Records;
import io.fathom.testkit.TestProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog read unevenly: a view's snapshot topic has four partitions, and the monitor has read all of partition
 * 0 — four windows and a snapshot past the last one's grace — before partitions 1 to 3 have sent anything (as when
 * one partition's backlog is read first after downtime). Judged by the greatest event time seen, every window
 * would have closed on partition 0 alone and the other partitions' snapshots would all be late; judged by the
 * view's watermark over its partitions, no window closes until every partition has passed it, and every window is
 * reported with every snapshot of every partition counted.
 */
@ExtendWith(KafkaExtension.class)
class MonitorBacklogIT {
    private static final int PARTITIONS = 4;
    private static final int WINDOWS = 4;
    private static final int PER_WINDOW = 400;

    @TempDir
    Path stateDir;

    @Test
    void aPartitionReadAheadClosesNoWindowTheOthersStillHaveSnapshotsFor(KafkaBroker broker) throws Exception {
        String view = "backlog_view";
        MonitorTopics topics = new MonitorTopics(
                "backlog.baselines", "backlog.drift.reports", "backlog.bias.reports", "backlog.alerts", "backlog.dlq");
        String applicationId = "monitor-backlog-it";
        KafkaSettings kafka = broker.kafka().toBuilder().partitions(PARTITIONS).build();
        FeatureDefinitions definitions = MonitorFixtures.definitions(view, MonitorFixtures.driftMonitor(view));
        String snapshotTopic = ViewDefinition.snapshotTopicOf(view);
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Topics.create(admin, PARTITIONS, snapshotTopic);
            Topics.create(admin, List.of(BaselinePublisher.topic(topics.baselines(), 1, (short) 1)));
        }
        try (BaselinePublisher publisher = new BaselinePublisher(kafka, topics.baselines())) {
            publisher.publish(MonitorFixtures.baseline(view));
        }
        Random random = new Random(17);
        List<FeatureSnapshot> snapshots = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            snapshots.addAll(MonitorFixtures.window(view, w, PER_WINDOW, 0, random));
        }
        List<List<FeatureSnapshot>> byPartition = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            int partition = p;
            List<FeatureSnapshot> own = new ArrayList<>(IntStream.range(0, snapshots.size())
                    .filter(i -> i % PARTITIONS == partition)
                    .mapToObj(snapshots::get)
                    .toList());
            own.add(MonitorFixtures.closer(view, WINDOWS));
            byPartition.add(own);
        }

        AtomicLong late = new AtomicLong();
        MonitorListener lateCounter = new MonitorListener() {
            @Override
            public void onSkipped(String reason, String scope) {
                if (reason.equals("late")) {
                    late.incrementAndGet();
                }
            }
        };
        MonitorConfig config = MonitorConfig.builder()
                .kafka(kafka)
                .stateDir(stateDir)
                .applicationId(applicationId)
                .topics(topics)
                .build();
        try (StreamsApp monitor = MonitorService.start(
                        definitions, config, Clock.systemUTC(), new SimpleMeterRegistry(), lateCounter);
                Admin admin = Admin.create(kafka.adminProperties())) {
            produce(kafka, snapshotTopic, 0, byPartition.get(0));
            TopicPartition first = new TopicPartition(snapshotTopic, 0);
            await("the monitor has read all of partition 0")
                    .atMost(Duration.ofSeconds(45))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(applicationId)
                                .partitionsToOffsetAndMetadata()
                                .get()
                                .get(first);
                        return committed != null
                                && committed.offset() >= byPartition.get(0).size();
                    });
            for (int p = 1; p < PARTITIONS; p++) {
                produce(kafka, snapshotTopic, p, byPartition.get(p));
            }

            List<ConsumerRecord<String, DriftReport>> reports = Records.drain(
                    kafka.consumerProperties(applicationId + "-reports"),
                    new StringDeserializer(),
                    MonitorSerdes.driftReport().deserializer(),
                    List.of(topics.driftReports()),
                    WINDOWS * 3,
                    Duration.ofSeconds(90));

            assertThat(late.get()).as("snapshots skipped as late").isZero();
            // every window of every feature (amount, latency, country), each with every partition's snapshots
            assertThat(reports).hasSize(WINDOWS * 3);
            assertThat(reports).allSatisfy(r -> assertThat(r.value().getN())
                    .as("%s/%s from %s", view, r.value().getFeature(), r.value().getWindowStart())
                    .isEqualTo(PER_WINDOW));
        }
    }

    private static void produce(KafkaSettings kafka, String topic, int partition, List<FeatureSnapshot> snapshots) {
        try (TestProducer<String, FeatureSnapshot> producer = TestProducer.create(
                kafka.producerProperties(),
                new StringSerializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).serializer())) {
            producer.send(snapshots.stream()
                    .map(s -> new ProducerRecord<>(topic, partition, s.getEventTs(), s.getEntityKey(), s))
                    .toList());
        }
    }
}
