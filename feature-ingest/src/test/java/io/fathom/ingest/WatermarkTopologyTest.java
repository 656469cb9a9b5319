package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.core.WatermarkTracker;
import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.BruteForce.Arrival;
import io.fathom.testkit.BruteForce.TaskInput;
import io.fathom.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lateness against the view's watermark, under Kafka Streams: one user's events reach the user view through the
 * re-keyed topic from different source partitions, out of event-time order by up to 40 minutes, with an allowed
 * lateness of 10 minutes. Which are late follows from the testkit's brute-force watermark, and only those are
 * dead-lettered; judged against the user's own latest event instead, most of them would have been.
 */
class WatermarkTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long START = Instant.parse("2026-11-27T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private final MutableClock clock = new MutableClock(START);
    private final FeatureDefinitions definitions = TestDefinitions.transactions(EventFormat.JSON);
    private final ViewDefinition users = definitions.view("user_txn").orElseThrow();
    private TopologyTestDriver driver;
    private TestInputTopic<String, RoutedEvent> rekeyed;
    private TestOutputTopic<String, FeatureSnapshot> snapshots;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private final List<TaskInput> arrivals = new ArrayList<>();
    private final List<BruteForce.Event> accepted = new ArrayList<>();
    private final List<Long> late = new ArrayList<>();

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The source topic has {@code partitions} partitions; the watermark's idle timeout is a minute. */
    private void start(int partitions) {
        var topology = IngestTopology.build(
                definitions,
                IngestTopics.defaults("test", 1),
                WatermarkSettings.of(Map.of(TestDefinitions.TOPIC, partitions)),
                clock,
                new IngestMetrics(new SimpleMeterRegistry()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, props);
        rekeyed = driver.createInputTopic(
                "test.user_txn.events",
                Serdes.String().serializer(),
                AvroSerdes.<RoutedEvent>of(RoutedEvent.getClassSchema()).serializer());
        snapshots = driver.createOutputTopic(
                users.snapshotTopic(),
                Serdes.String().deserializer(),
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).deserializer());
        deadLetters = driver.createOutputTopic("fathom.dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * User 1's event at {@code ts}, read from {@code partition} of the source, arriving {@code afterMillis} after
     * the previous one by the clock; the expectation follows from the brute-force watermark.
     */
    private void send(int partition, long ts, double amount, long afterMillis, int partitions) {
        clock.advance(afterMillis);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user_id", 1L);
        fields.put("amount", amount);
        fields.put("country", "FR");
        arrivals.add(new Arrival(partition, ts, clock.millis()));
        long watermark = BruteForce.watermark(
                arrivals, partitions, START, WatermarkTracker.DEFAULT_IDLE_TIMEOUT, Long.MIN_VALUE);
        if (BruteForce.isLate(users, watermark, ts)) {
            late.add(ts);
        } else {
            accepted.add(new BruteForce.Event(ts, accepted.size(), fields));
        }
        rekeyed.pipeInput("1", new RoutedEvent(ts, fields, TestDefinitions.TOPIC, partition, (long) arrivals.size()));
    }

    @Test
    void eventsOfOtherPartitionsFarBehindTheEntitysLatestCountWhileTheWatermarkAllowsThem() {
        start(3);
        send(0, T0 + 30 * MINUTE, 1.0, 0, 3);
        send(1, T0, 2.0, 0, 3); // 30 minutes behind the user's latest event
        send(2, T0 + 5 * MINUTE, 4.0, 10_000, 3);
        send(1, T0 + 2 * MINUTE, 8.0, 10_000, 3); // the watermark is now T0 + 2 minutes
        send(0, T0 + 31 * MINUTE, 16.0, 10_000, 3);
        send(2, T0 - 7 * MINUTE, 32.0, 10_000, 3); // 9 minutes behind the watermark: counts
        send(1, T0 - 9 * MINUTE, 64.0, 10_000, 3); // 11 minutes behind: late

        assertThat(late).as("the brute force's verdict").containsExactly(T0 - 9 * MINUTE);
        assertOnlyTheLateWereDeadLettered();
        List<FeatureSnapshot> out = snapshots.readValuesToList();
        assertThat(out).extracting(FeatureSnapshot::getVersion).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        FeatureSnapshot last = out.get(out.size() - 1);
        assertThat(last.getEventTs()).isEqualTo(T0 + 31 * MINUTE);
        assertMatchesBruteForce(last, T0 + 31 * MINUTE);
        assertThat(last.getValues()).containsEntry("amount_avg_1d", 63.0 / 6);
    }

    @Test
    void aPartitionSilentForAMinuteStopsHoldingTheWatermarkAndItsOldEventsAreLateWhenItReturns() {
        start(2);
        send(0, T0, 1.0, 0, 2);
        send(1, T0, 2.0, 0, 2);
        send(0, T0 + 20 * MINUTE, 4.0, 30_000, 2);
        send(0, T0 + 40 * MINUTE, 8.0, 31_000, 2); // partition 1 has been silent for 61 s: idle
        send(1, T0 + 25 * MINUTE, 16.0, 1_000, 2); // back, 15 minutes behind the watermark: late
        send(1, T0 + 35 * MINUTE, 32.0, 1_000, 2); // 5 minutes behind: counts

        assertThat(late).as("the brute force's verdict").containsExactly(T0 + 25 * MINUTE);
        assertOnlyTheLateWereDeadLettered();
        List<FeatureSnapshot> out = snapshots.readValuesToList();
        assertMatchesBruteForce(out.get(out.size() - 1), T0 + 40 * MINUTE);
    }

    private void assertMatchesBruteForce(FeatureSnapshot snapshot, long t) {
        Map<String, Object> expected = BruteForce.evaluate(users, accepted, t);
        users.features().forEach(feature -> assertThat(BruteForce.matches(
                        feature,
                        expected.get(feature.name()),
                        snapshot.getValues().get(feature.name())))
                .as("%s: expected %s, got %s", feature.name(), expected, snapshot.getValues())
                .isTrue());
    }

    private void assertOnlyTheLateWereDeadLettered() {
        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.REASON)).containsOnly("late");
        assertThat(dead)
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .hasSize(late.size())
                .allSatisfy(json -> assertThat(late.stream().anyMatch(ts -> json.contains("\"_event_ts\":" + ts)))
                        .isTrue());
        assertThat(dead).extracting(r -> header(r, DeadLetterHeaders.MESSAGE)).allMatch(m -> m.contains("watermark"));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
