package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.KafkaSettings;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.Records;
import io.fathom.testkit.RedisExtension;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker and a real Redis: events → ingest → snapshots → {@link OnlineWriter} → Redis →
 * {@link OnlineFeatureReader}, checked against a brute-force computation from the produced events at the
 * read time; with Redis stopped in the middle of the run, reads fail fast, the writer waits, and after Redis
 * returns the writer catches up and every entity reads its final values.
 */
@ExtendWith({KafkaExtension.class, RedisExtension.class})
class OnlineWriterIT {
    private static final String VIEW = "user_txn";
    private static final int USERS = 400;
    private static final int NEW_USERS = 100;
    private static final int PHASE_1 = 4_000;
    private static final int PHASE_2 = 3_000;
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US"};
    private static final List<String> FEATURES =
            List.of("txn_count_1h", "amount_sum_1h", "amount_avg_1d", "amount_max_1d", "last_country");

    @TempDir
    Path stateDir;

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(11);
    private final Map<String, List<Event>> eventsByUser = new HashMap<>();

    record Event(long ts, long userId, Double amount, String country) {}

    @Test
    void servesBruteForceValuesAndCatchesUpAfterARedisOutage(KafkaBroker broker, RedisServer redis) {
        String suffix = Long.toString(System.nanoTime());
        String sourceTopic = "online-it-events-" + suffix;
        broker.createTopics(2, sourceTopic);
        FeatureDefinitions definitions = definitions(sourceTopic);
        // Event times close to the wall clock: Redis expires keys by its real clock (ttl 7 days).
        long now = Instant.now().toEpochMilli();
        long readAt = now + Duration.ofMinutes(5).toMillis();
        Clock readClock = Clock.fixed(Instant.ofEpochMilli(readAt), ZoneOffset.UTC);

        try (RedisOnlineStore store = RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(definitions));
                IngestService ingest = new IngestService(
                        definitions,
                        IngestConfig.builder()
                                .kafka(KafkaSettings.builder()
                                        .bootstrapServers(broker.bootstrapServers())
                                        .partitions(2)
                                        .build())
                                .stateDir(stateDir)
                                .applicationId("online-it-ingest-" + suffix)
                                .build(),
                        Clock.systemUTC(),
                        new SimpleMeterRegistry());
                OnlineWriter writer = new OnlineWriter(
                        store,
                        OnlineWriterConfig.builder()
                                .kafka(KafkaSettings.builder()
                                        .bootstrapServers(broker.bootstrapServers())
                                        .build())
                                .groupId("online-it-writer-" + suffix)
                                .views(List.of(VIEW))
                                .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                                .build(),
                        Clock.systemUTC())) {
            OnlineFeatureReader reader = new OnlineFeatureReader(definitions, store, readClock);

            // Phase 1: 4 000 events over the three hours before now-1h.
            produce(broker, sourceTopic, events(PHASE_1, USERS, now - hours(3), now - hours(1)));
            awaitEveryUserApplied(store);
            assertMatchesBruteForce(reader, readAt);

            // Outage: Redis goes away while ingest keeps producing snapshots.
            redis.stop();
            try {
                long startedAt = System.nanoTime();
                assertThatThrownBy(() -> reader.read(qualified(), Map.of("user_id", List.of(1))))
                        .isInstanceOf(StoreUnavailableException.class)
                        .hasMessageContaining("read user_txn");
                assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(2));

                // Phase 2: 3 000 more events, some for 100 users never seen before.
                produce(broker, sourceTopic, events(PHASE_2, USERS + NEW_USERS, now - hours(1), now - 60_000));
                // Keep Redis down until ingest has committed every snapshot and the writer has retried a few
                // times: the whole of phase 2 is then a backlog the writer must catch up after the outage.
                Records.drain(
                        broker.consumerProps("online-it-count-" + suffix),
                        new ByteArrayDeserializer(),
                        new ByteArrayDeserializer(),
                        List.of(definitions.views().get(0).snapshotTopic()),
                        PHASE_1 + PHASE_2,
                        Duration.ofMinutes(2));
                await("the writer retries while the store is down")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> writer.failedWrites() >= 4);
                assertThat(writer.waitingForStore()).isTrue();
                assertThat(writer.appliedSnapshots()).isEqualTo(PHASE_1);
            } finally {
                redis.start();
            }

            awaitEveryUserApplied(store);
            await().atMost(Duration.ofSeconds(30)).until(() -> !writer.waitingForStore());
            assertMatchesBruteForce(reader, readAt);

            long latest = eventsByUser.values().stream()
                    .flatMap(List::stream)
                    .mapToLong(Event::ts)
                    .max()
                    .orElseThrow();
            assertThat(writer.freshness().get(VIEW).lastEventTs()).isEqualTo(latest);
            assertThat(writer.skippedRecords()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.recordsBehind() == 0);
        }
    }

    private static long hours(int count) {
        return Duration.ofHours(count).toMillis();
    }

    private static List<String> qualified() {
        return FEATURES.stream().map(feature -> VIEW + ":" + feature).toList();
    }

    /** {@code count} events with increasing times in {@code [from, to)}, for random users below {@code users}. */
    private List<Event> events(int count, int users, long from, long to) {
        List<Event> events = new ArrayList<>(count);
        long step = (to - from) / count;
        for (int i = 0; i < count; i++) {
            long userId = i < users ? i : random.nextInt(users);
            Double amount = random.nextInt(8) == 0 ? null : Math.round(random.nextDouble() * 10_000) / 100.0;
            Event event = new Event(from + i * step, userId, amount, COUNTRIES[random.nextInt(COUNTRIES.length)]);
            events.add(event);
            eventsByUser
                    .computeIfAbsent(Long.toString(userId), k -> new ArrayList<>())
                    .add(event);
        }
        return events;
    }

    private void produce(KafkaBroker broker, String topic, List<Event> events) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events.size());
        for (Event event : events) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("user_id", event.userId());
            fields.put("amount", event.amount());
            fields.put("country", event.country());
            fields.put("event_time", event.ts());
            try {
                records.add(new ProducerRecord<>(topic, Long.toString(event.userId()), json.writeValueAsBytes(fields)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        try (TestProducer<String, byte[]> producer =
                TestProducer.create(broker.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
    }

    /** Waits until the store holds, for every user, a snapshot of the user's latest event. */
    private void awaitEveryUserApplied(OnlineStore store) {
        List<String> users = List.copyOf(eventsByUser.keySet());
        Map<String, Long> latest = eventsByUser.entrySet().stream()
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        e -> e.getValue().stream().mapToLong(Event::ts).max().orElseThrow()));
        await("every user's latest snapshot in the store")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .until(() -> {
                    List<StoredSnapshot> stored = store.read(VIEW, users);
                    for (int i = 0; i < users.size(); i++) {
                        StoredSnapshot snapshot = stored.get(i);
                        if (snapshot == null || snapshot.eventTs() != latest.get(users.get(i))) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    private void assertMatchesBruteForce(OnlineFeatureReader reader, long readAt) {
        List<Object> userIds = eventsByUser.keySet().stream()
                .map(Long::parseLong)
                .sorted()
                .map(id -> (Object) id)
                .toList();
        OnlineResult result = reader.read(qualified(), Map.of("user_id", userIds));

        List<String> mismatches = new ArrayList<>();
        for (int row = 0; row < userIds.size(); row++) {
            List<Event> events = eventsByUser.get(userIds.get(row).toString());
            Map<String, Object> expected = bruteForce(events, readAt);
            EntityResult entity = result.results().get(row);
            assertThat(entity.statuses()).as("user %s", userIds.get(row)).containsOnly(FeatureStatus.PRESENT);
            for (int i = 0; i < FEATURES.size(); i++) {
                Object want = expected.get(FEATURES.get(i));
                Object got = entity.values().get(i);
                if (!matches(want, got)) {
                    mismatches.add(
                            "user " + userIds.get(row) + " " + FEATURES.get(i) + ": expected " + want + ", got " + got);
                }
            }
        }
        assertThat(mismatches).as("mismatches").isEmpty();
    }

    /**
     * The features at {@code t} the slow, obvious way: a window W covers the events with time in {@code
     * [floor((t - W) / g) * g, t]} (g = 1 minute), {@code last_country} is the country of the latest event.
     */
    private static Map<String, Object> bruteForce(List<Event> events, long t) {
        long g = Duration.ofMinutes(1).toMillis();
        List<Event> hour = within(events, Math.floorDiv(t - hours(1), g) * g, t);
        List<Event> day = within(events, Math.floorDiv(t - hours(24), g) * g, t);
        List<Double> hourAmounts = amounts(hour);
        List<Double> dayAmounts = amounts(day);
        Map<String, Object> values = new HashMap<>();
        values.put("txn_count_1h", (long) hour.size());
        values.put(
                "amount_sum_1h",
                hourAmounts.stream().mapToDouble(Double::doubleValue).sum());
        values.put(
                "amount_avg_1d",
                dayAmounts.isEmpty()
                        ? null
                        : dayAmounts.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElseThrow());
        values.put("amount_max_1d", dayAmounts.stream().max(Double::compare).orElse(null));
        values.put(
                "last_country",
                events.stream()
                        .max(Comparator.comparingLong(Event::ts))
                        .map(Event::country)
                        .orElse(null));
        return values;
    }

    private static List<Event> within(List<Event> events, long from, long to) {
        return events.stream().filter(e -> e.ts() >= from && e.ts() <= to).toList();
    }

    private static List<Double> amounts(List<Event> events) {
        return events.stream().map(Event::amount).filter(a -> a != null).toList();
    }

    private static boolean matches(Object expected, Object actual) {
        if (expected instanceof Double e && actual instanceof Number a) {
            return Math.abs(e - a.doubleValue()) <= 1e-9 * Math.max(1.0, Math.abs(e));
        }
        return java.util.Objects.equals(expected, actual);
    }

    private static FeatureDefinitions definitions(String topic) {
        ViewDefinition view = new ViewDefinition(
                VIEW,
                "user",
                "transactions",
                Duration.ofMinutes(1),
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                List.of(
                        feature("txn_count_1h", Aggregation.COUNT, null, Duration.ofHours(1)),
                        feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1)),
                        feature("amount_avg_1d", Aggregation.MEAN, "amount", Duration.ofDays(1)),
                        feature("amount_max_1d", Aggregation.MAX, "amount", Duration.ofDays(1)),
                        feature("last_country", Aggregation.LAST, "country", null)));
        return new FeatureDefinitions(
                List.of(new EntityDefinition("user", List.of("user_id"))),
                List.of(new SourceDefinition("transactions", topic, EventFormat.JSON, Optional.empty(), "event_time")),
                List.of(view),
                List.of());
    }

    private static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }
}
