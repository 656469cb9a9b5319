package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.StreamsApp;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
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
 * brute-force computation from the produced events, and every bad event must be in the DLQ.
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
