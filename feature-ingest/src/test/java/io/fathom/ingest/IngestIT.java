package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.StreamsApp;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker: 120k events for 60k users and 5k merchants (two views), with bad
 * events mixed in, through ingest under exactly-once; every entity's final snapshot must equal a
 * brute-force computation from the produced events, and every bad event must be in the DLQ. And the
 * watermark and the versions across a restart of ingest.
 */
@ExtendWith(KafkaExtension.class)
class IngestIT {
    private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    private static final int USERS = 60_000;
    private static final int MERCHANTS = 5_000;
    private static final int GOOD_EVENTS = 120_000;
    private static final int UNDECODABLE = 500;
    private static final int WITHOUT_USER = 200;
    private static final long STEP_MS = 1_440; // 120k events over 48 hours
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US", "GB", "ES"};

    @TempDir
    Path stateDir;

    private final ObjectMapper json = new ObjectMapper();

    /**
     * With a cache of entity states of 256 KiB (64 KiB per task, room for a few hundred states of the 60k users), so
     * that states are evicted, written to RocksDB before their commit and read back from it (the restart test below
     * runs with the default cache).
     */
    @Test
    void everyEntitysFinalSnapshotEqualsTheBruteForceValues(KafkaBroker broker) throws Exception {
        String topic = "it-transactions";
        broker.createTopics(4, topic);
        FeatureDefinitions definitions = TestDefinitions.transactions(EventFormat.JSON, Duration.ofDays(3), topic);
        ViewDefinition users = definitions.view("user_txn").orElseThrow();
        ViewDefinition merchants = definitions.view("merchant_txn").orElseThrow();

        Map<String, List<BruteForce.Event>> byUser = new HashMap<>();
        Map<String, List<BruteForce.Event>> byMerchant = new HashMap<>();
        produce(broker, topic, byUser, byMerchant);

        IngestConfig config = IngestConfig.builder()
                .kafka(broker.kafka().toBuilder().partitions(4).build())
                .stateDir(stateDir)
                .applicationId("ingest-it")
                .cacheMaxBytes(256 * 1024)
                .build();
        Map<String, FeatureSnapshot> finalUsers;
        Map<String, FeatureSnapshot> finalMerchants;
        List<ConsumerRecord<byte[], byte[]>> deadLetters;
        try (StreamsApp ingest =
                IngestService.start(definitions, config, Clock.systemUTC(), new SimpleMeterRegistry())) {
            finalUsers = lastSnapshots(broker, users.snapshotTopic(), GOOD_EVENTS);
            finalMerchants = lastSnapshots(broker, merchants.snapshotTopic(), GOOD_EVENTS + WITHOUT_USER);
            deadLetters = drain(broker, IngestTopics.DEFAULT_DLQ, UNDECODABLE + WITHOUT_USER);
            assertThat(ingest.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }

        assertThat(finalUsers).hasSize(USERS);
        assertThat(finalMerchants).hasSize(MERCHANTS);
        assertMatchesBruteForce(users, byUser, finalUsers);
        assertMatchesBruteForce(merchants, byMerchant, finalMerchants);
        Map<String, Long> reasons = new HashMap<>();
        deadLetters.forEach(r -> reasons.merge(
                new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8),
                1L,
                Long::sum));
        assertThat(reasons).containsOnly(Map.entry("undecodable", (long) UNDECODABLE), Map.entry("missing_key", (long)
                WITHOUT_USER));
    }

    /**
     * The watermark and the versions survive a restart. Ingest reaches a watermark, stops, and starts again with
     * its state directory gone, so it restores from the changelogs: an event far behind the watermark it had
     * reached is dead-lettered at once (a watermark learnt afresh would have let it in), one within the allowed
     * lateness counts, and the entity's version goes on from where it was.
     */
    @Test
    void theWatermarkAndTheVersionsSurviveARestart(KafkaBroker broker) throws Exception {
        String topic = "it-restart";
        broker.createTopics(1, topic);
        ViewDefinition users = Definitions.view("restart_users")
                .allowedLateness(Duration.ofMinutes(10))
                .feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1))
                .build();
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .transactions(topic, EventFormat.JSON)
                .view(users)
                .build();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-27T00:00:00Z"));
        long minute = Duration.ofMinutes(1).toMillis();

        try (StreamsApp ingest = startIngest(broker, definitions, stateDir.resolve("first"), clock)) {
            sendUnkeyed(broker, topic, event(1, T0 + 60 * minute, 1.0), event(2, T0 + 61 * minute, 2.0));
            drain(broker, users.snapshotTopic(), 2);
            sendUnkeyed(broker, topic, event(1, T0 + 30 * minute, 4.0)); // 31 minutes behind: late
            deadLettersOf(broker, users, 1);
            assertThat(ingest.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
        try (StreamsApp ingest = startIngest(broker, definitions, stateDir.resolve("second"), clock)) {
            sendUnkeyed(broker, topic, event(1, T0 + 45 * minute, 8.0)); // 16 minutes behind: late
            sendUnkeyed(broker, topic, event(1, T0 + 55 * minute, 16.0)); // 6 minutes behind: counts
            drain(broker, users.snapshotTopic(), 3);
            assertThat(ingest.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }

        List<ConsumerRecord<byte[], byte[]>> dead = deadLettersOf(broker, users, 2);
        assertThat(dead)
                .allSatisfy(r -> assertThat(header(r, DeadLetterHeaders.REASON)).isEqualTo("late"));
        assertThat(dead).extracting(r -> eventTs(r.value())).containsExactly(T0 + 30 * minute, T0 + 45 * minute);
        FeatureSnapshot user1 = lastSnapshots(broker, users.snapshotTopic(), 3).get("1");
        assertThat(user1.getVersion()).isEqualTo(2L);
        assertThat(user1.getEventTs()).isEqualTo(T0 + 60 * minute);
        assertThat(user1.getValues().get("amount_sum_1h")).isEqualTo(17.0);
    }

    /** The dead letters of {@code view} (the dead-letter topic is shared), once there are {@code expected}. */
    private static List<ConsumerRecord<byte[], byte[]>> deadLettersOf(
            KafkaBroker broker, ViewDefinition view, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                broker.kafka().consumerProperties("check-dlq-" + view.name()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(IngestTopics.DEFAULT_DLQ));
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (view.name().equals(header(r, DeadLetterHeaders.VIEW))) {
                        records.add(r);
                    }
                }
                return records.size() >= expected;
            });
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private StreamsApp startIngest(KafkaBroker broker, FeatureDefinitions definitions, Path dir, Clock clock) {
        IngestConfig config = IngestConfig.builder()
                .kafka(broker.kafka().toBuilder().partitions(1).build())
                .stateDir(dir)
                .applicationId("ingest-it-restart")
                .build();
        return IngestService.start(definitions, config, clock, new SimpleMeterRegistry());
    }

    private Map<String, Object> event(long user, long ts, double amount) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user_id", user);
        fields.put("amount", amount);
        fields.put("country", "FR");
        fields.put("event_time", ts);
        return fields;
    }

    @SafeVarargs
    private void sendUnkeyed(KafkaBroker broker, String topic, Map<String, Object>... events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map<String, Object> event : events) {
                producer.send(new ProducerRecord<>(topic, json.writeValueAsBytes(event)))
                        .get();
            }
        }
    }

    private long eventTs(byte[] deadLetter) {
        try {
            return json.readTree(deadLetter).get("_event_ts").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Events are keyed by user, so each user's events stay in order; times advance 1.44 s per event
     * with up to 200 steps (under 5 minutes) of jitter, unique per event, inside the allowed lateness.
     */
    private void produce(
            KafkaBroker broker,
            String topic,
            Map<String, List<BruteForce.Event>> byUser,
            Map<String, List<BruteForce.Event>> byMerchant)
            throws Exception {
        Random random = new Random(42);
        List<Integer> userOrder = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            userOrder.add(u);
        }
        java.util.Collections.shuffle(userOrder, random);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < GOOD_EVENTS; i++) {
                long user = i < USERS ? userOrder.get(i) : random.nextInt(USERS);
                long merchant = random.nextInt(MERCHANTS);
                long ts = T0 + STEP_MS * (i - random.nextInt(200)) + (i % STEP_MS);
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("user_id", user);
                fields.put("merchant_id", merchant);
                fields.put("merchant", "m" + random.nextInt(50));
                fields.put("amount", random.nextInt(10) == 0 ? null : Math.round(random.nextDouble() * 50_000) / 100.0);
                fields.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
                fields.put("event_time", ts);
                byUser.computeIfAbsent(Long.toString(user), k -> new ArrayList<>())
                        .add(new BruteForce.Event(ts, i, fields));
                byMerchant
                        .computeIfAbsent(Long.toString(merchant), k -> new ArrayList<>())
                        .add(new BruteForce.Event(ts, i, fields));
                sends.add(send(producer, topic, Long.toString(user), json.writeValueAsBytes(fields)));
                if (i % (GOOD_EVENTS / UNDECODABLE) == 0) {
                    sends.add(send(producer, topic, "junk", "{not json".getBytes(StandardCharsets.UTF_8)));
                }
                if (i % (GOOD_EVENTS / WITHOUT_USER) == 1) {
                    Map<String, Object> noUser = new LinkedHashMap<>(fields);
                    noUser.remove("user_id");
                    noUser.put("event_time", ts + 1);
                    noUser.put("amount", 1.0);
                    byMerchant.get(Long.toString(merchant)).add(new BruteForce.Event(ts + 1, i, noUser));
                    sends.add(send(producer, topic, "nouser", json.writeValueAsBytes(noUser)));
                }
            }
            producer.flush();
        }
        for (Future<RecordMetadata> send : sends) {
            send.get(); // a failed send fails the test rather than silently losing an event
        }
    }

    private static Future<RecordMetadata> send(
            KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
        CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(metadata);
            }
        });
        return result;
    }

    private static Map<String, FeatureSnapshot> lastSnapshots(KafkaBroker broker, String topic, int expected) {
        Map<String, FeatureSnapshot> last = new HashMap<>();
        var deserializer =
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).deserializer();
        int[] seen = {0};
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                broker.kafka().consumerProperties("check-" + topic),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofMinutes(4)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    last.put(r.key(), deserializer.deserialize(topic, r.value()));
                    seen[0]++;
                }
                return seen[0] >= expected;
            });
        }
        assertThat(seen[0]).isEqualTo(expected);
        return last;
    }

    private static List<ConsumerRecord<byte[], byte[]>> drain(KafkaBroker broker, String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                broker.kafka().consumerProperties("check-" + topic),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return records.size() >= expected;
            });
        }
        return records;
    }

    private static void assertMatchesBruteForce(
            ViewDefinition view, Map<String, List<BruteForce.Event>> events, Map<String, FeatureSnapshot> snapshots) {
        List<String> mismatches = new ArrayList<>();
        events.forEach((key, entityEvents) -> {
            FeatureSnapshot snapshot = snapshots.get(key);
            long latest =
                    entityEvents.stream().mapToLong(BruteForce.Event::ts).max().orElseThrow();
            assertThat(snapshot.getEventTs()).as("event_ts of %s", key).isEqualTo(latest);
            Map<String, Object> expected = BruteForce.evaluate(view, entityEvents, latest);
            for (FeatureDefinition feature : view.features()) {
                Object want = expected.get(feature.name());
                Object got = snapshot.getValues().get(feature.name());
                if (!BruteForce.matches(feature, want, got)) {
                    mismatches.add(
                            view.name() + "/" + key + "/" + feature.name() + ": expected " + want + ", got " + got);
                }
            }
        });
        assertThat(mismatches).as("mismatches (first 20)").isEmpty();
    }
}
