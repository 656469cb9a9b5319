package io.fathom.monitor;

import static io.fathom.monitor.MonitorFixtures.VIEW;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.StreamsApp;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.drift.DriftMethod;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
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
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker under exactly-once: a baseline, then a stream where {@code amount} drifts for three
 * windows and recovers while {@code latency} and {@code country} stay put: one firing and one resolved
 * alert for {@code amount}, none for the others.
 */
@ExtendWith(KafkaExtension.class)
class MonitorIT {
    @TempDir
    Path stateDir;

    @Test
    void driftedFeaturesFireOnceAndResolveWhileStableOnesStayQuiet(KafkaBroker broker) throws Exception {
        MonitorTopics topics =
                new MonitorTopics("it.baselines", "it.drift.reports", "it.bias.reports", "it.alerts", "it.monitor.dlq");
        KafkaSettings kafka = broker.kafka().toBuilder().partitions(1).build();
        MonitorConfig config = MonitorConfig.builder()
                .kafka(kafka)
                .stateDir(stateDir)
                .applicationId("monitor-it")
                .topics(topics)
                .build();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(BaselinePublisher.topic(topics.baselines(), 1, (short) 1)
                            .toNewTopic()))
                    .all()
                    .get();
        }
        try (BaselinePublisher publisher = new BaselinePublisher(kafka, topics.baselines())) {
            publisher.publish(MonitorFixtures.baseline());
        }

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (StreamsApp service = MonitorService.start(
                MonitorFixtures.definitions(MonitorFixtures.driftMonitor()), config, Clock.systemUTC(), registry)) {
            Random random = new Random(3);
            List<FeatureSnapshot> snapshots = new ArrayList<>();
            double[] shifts = MonitorFixtures.AMOUNT_SHIFTS;
            for (int w = 0; w < shifts.length; w++) {
                snapshots.addAll(MonitorFixtures.window(w, 250, shifts[w], random));
            }
            snapshots.add(MonitorFixtures.closer(shifts.length));
            List<ProducerRecord<String, FeatureSnapshot>> records = snapshots.stream()
                    .map(s ->
                            new ProducerRecord<>("fathom.snapshots." + VIEW, null, s.getEventTs(), s.getEntityKey(), s))
                    .toList();
            try (TestProducer<String, FeatureSnapshot> producer = TestProducer.create(
                    broker.kafka().producerProperties(),
                    new StringSerializer(),
                    AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema())
                            .serializer())) {
                producer.send(records);
            }

            List<ConsumerRecord<String, io.fathom.schemas.avro.DriftReport>> reports = Records.drain(
                    broker.kafka().consumerProperties("it-reports"),
                    new StringDeserializer(),
                    MonitorSerdes.driftReport().deserializer(),
                    List.of(topics.driftReports()),
                    3 * shifts.length,
                    Duration.ofSeconds(90));
            List<ConsumerRecord<String, AlertEvent>> alerts = Records.drainUntilIdle(
                    broker.kafka().consumerProperties("it-alerts"),
                    new StringDeserializer(),
                    MonitorSerdes.alertEvent().deserializer(),
                    List.of(topics.alerts()),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(30));
            assertThat(service.state()).isEqualTo(KafkaStreams.State.RUNNING);

            assertThat(reports).hasSize(3 * shifts.length);
            MonitorFixtures.assertDriftScenarioVerdicts(
                    reports.stream().map(r -> Map.entry(r.key(), r.value())).toList());

            String fingerprint = AlertKey.drift(VIEW, "amount", DriftMethod.PSI).fingerprint();
            assertThat(alerts).extracting(ConsumerRecord::key).containsExactly(fingerprint, fingerprint);
            assertThat(alerts)
                    .extracting(r -> r.value().getStatus())
                    .containsExactly(AlertStatus.firing, AlertStatus.resolved);
            assertThat(registry.get("fathom.drift.score")
                            .tag("feature", "amount")
                            .gauge()
                            .value())
                    .isLessThan(0.2);
            assertThat(registry.get("fathom.alerts.firing").gauge().value()).isZero();
        }
    }
}
