package io.fathom.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.ingest.IngestConfig;
import io.fathom.ingest.IngestService;
import io.fathom.kafka.StreamsApp;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.Definitions;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a real broker and a real Redis: events → ingest → snapshots → {@link OnlineWriter} → Redis →
 * {@link OnlineFeatureReader}, checked against the brute-force reference over the produced events at the
 * read time; with Redis stopped in the middle of the run, reads fail fast, the writer waits, and after Redis
 * returns the writer catches up and every entity reads its final values. And issue 10's lost updates: events
 * that reach ingest out of event-time order while its clock stands still make consecutive states of an entity
 * with equal times, each of which must reach Redis.
 */
@ExtendWith({KafkaExtension.class, RedisExtension.class})
class OnlineWriterIT {
    private static final int USERS = 400;
    private static final int NEW_USERS = 100;
    private static final int PHASE_1 = 4_000;
    private static final int PHASE_2 = 3_000;
    private static final int SHUFFLED_USERS = 2_000;
    private static final int SHUFFLED_EVENTS = 12_000;
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US"};
    /** What makes the names of each test its own (the tests share the broker and Redis): &lt;nanos&gt;. */
    private final String suffix = Long.toString(System.nanoTime());
    /** A view of its own for each test: user_txn_&lt;suffix&gt;. */
    private final String view = "user_txn_" + suffix;

    private final ViewDefinition userTxn = Definitions.view(view)
            .allowedLateness(Duration.ofHours(2))
            .count("txn_count_1h", Duration.ofHours(1))
            .feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1))
            .feature("amount_avg_1d", Aggregation.MEAN, "amount", Duration.ofDays(1))
            .feature("amount_max_1d", Aggregation.MAX, "amount", Duration.ofDays(1))
            .last("last_country", "country")
            .build();
    private final List<FeatureDefinition> features = userTxn.features();

    @TempDir
    Path stateDir;

    private final ObjectMapper json = new ObjectMapper();
    private final Random random = new Random(11);
    private final Map<String, List<Event>> eventsByUser = new HashMap<>();

    record Event(long ts, long userId, Double amount, String country) {
        /** The event as the brute-force reference takes it: the fields the view reads. */
        BruteForce.Event raw(long sequence) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("amount", amount);
            fields.put("country", country);
            return new BruteForce.Event(ts, sequence, fields);
        }
    }

    @Test
    void servesBruteForceValuesAndCatchesUpAfterARedisOutage(KafkaBroker broker, RedisServer redis) {
        String sourceTopic = "online-it-events-" + suffix;
        broker.createTopics(2, sourceTopic);
        FeatureDefinitions definitions = definitions(sourceTopic);
        // Event times close to the wall clock: Redis expires keys by its real clock (ttl 7 days).
        long now = Instant.now().toEpochMilli();
        long readAt = now + Duration.ofMinutes(5).toMillis();
        Clock readClock = Clock.fixed(Instant.ofEpochMilli(readAt), ZoneOffset.UTC);

        try (RedisOnlineStore store = RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(definitions));
                StreamsApp ingest =
                        startIngest(broker, definitions, 2, "online-it-ingest-" + suffix, Clock.systemUTC());
                OnlineWriter writer = OnlineWriters.start(
                        store, broker.kafka(), "online-it-writer-" + suffix, List.of(view), Clock.systemUTC())) {
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
                        broker.kafka().consumerProperties("online-it-count-" + suffix),
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
            assertThat(writer.freshness().get(view).lastEventTs()).isEqualTo(latest);
            assertThat(writer.skippedRecords()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> writer.recordsBehind() == 0);
        }
    }

    /**
     * Events produced without keys, to random partitions, in random order: each user's events reach ingest out of
     * event-time order, through several partitions. Ingest's clock stands still, so every update of an entity
     * shares its millisecond with the one before (a catch-up at its worst): many consecutive snapshots of an
     * entity have equal {@code event_ts} and {@code created_ts}, and each is a later state that Redis must keep.
     */
    @Test
    void everyLaterStateReachesRedisThoughItsTimesEqualTheStateBefore(KafkaBroker broker, RedisServer redis) {
        String sourceTopic = "online-it-shuffled-" + suffix;
        broker.createTopics(3, sourceTopic);
        FeatureDefinitions definitions = definitions(sourceTopic);
        long now = Instant.now().toEpochMilli(); // Redis expires keys by its real clock
        long readAt = now + Duration.ofMinutes(1).toMillis();
        List<Event> events = events(
                SHUFFLED_EVENTS, SHUFFLED_USERS, now - Duration.ofMinutes(50).toMillis(), now);

        // Not a test of timeouts: generous ones, so that a loaded machine's slow first connection does not fail it.
        RedisStoreConfig patient = RedisStoreConfig.builder()
                .connection(RedisConnection.of(redis.uri()))
                .ttlByView(OnlineStore.ttlByView(definitions))
                .commandTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        try (RedisOnlineStore store = RedisOnlineStore.create(patient);
                StreamsApp ingest = startIngest(
                        broker,
                        definitions,
                        3,
                        "online-it-shuffled-" + suffix,
                        Clock.fixed(Instant.ofEpochMilli(now), ZoneOffset.UTC));
                OnlineWriter writer = OnlineWriters.start(
                        store,
                        broker.kafka(),
                        "online-it-shuffled-writer-" + suffix,
                        List.of(view),
                        Clock.systemUTC())) {
            List<Event> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            send(
                    broker,
                    shuffled.stream()
                            .map(e -> new ProducerRecord<String, byte[]>(sourceTopic, random.nextInt(3), null, json(e)))
                            .toList());
            List<ConsumerRecord<String, byte[]>> snapshots = Records.drain(
                    broker.kafka().consumerProperties("online-it-shuffled-count-" + suffix),
                    new StringDeserializer(),
                    new ByteArrayDeserializer(),
                    List.of(userTxn.snapshotTopic()),
                    SHUFFLED_EVENTS,
                    Duration.ofMinutes(3));
            await("the writer applies every snapshot")
                    .atMost(Duration.ofMinutes(2))
                    .until(() -> writer.appliedSnapshots() >= SHUFFLED_EVENTS && writer.recordsBehind() == 0);

            assertThat(usersWithTiedConsecutiveSnapshots(snapshots))
                    .as("users with two snapshots in a row of equal event_ts and created_ts")
                    .hasSizeGreaterThan(SHUFFLED_USERS / 10);
            assertMatchesBruteForce(
                    new OnlineFeatureReader(
                            definitions, store, Clock.fixed(Instant.ofEpochMilli(readAt), ZoneOffset.UTC)),
                    readAt);
        }
    }

    /** The entities of which two snapshots in a row (in the topic's order) have equal event_ts and created_ts. */
    private static Set<String> usersWithTiedConsecutiveSnapshots(List<ConsumerRecord<String, byte[]>> records) {
        SnapshotCodec codec = new SnapshotCodec();
        Map<String, SlicedSnapshot> previous = new HashMap<>();
        Set<String> tied = new TreeSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            SlicedSnapshot snapshot = codec.decode(record.value());
            SlicedSnapshot before = previous.put(record.key(), snapshot);
            if (before != null
                    && before.eventTs() == snapshot.eventTs()
                    && before.createdTs() == snapshot.createdTs()) {
                tied.add(record.key());
            }
        }
        return tied;
    }

    private StreamsApp startIngest(
            KafkaBroker broker, FeatureDefinitions definitions, int partitions, String applicationId, Clock clock) {
        return IngestService.start(
                definitions,
                IngestConfig.builder()
                        .kafka(broker.kafka().toBuilder().partitions(partitions).build())
                        .stateDir(stateDir)
                        .applicationId(applicationId)
                        .build(),
                clock,
                new SimpleMeterRegistry());
    }

    private static long hours(int count) {
        return Duration.ofHours(count).toMillis();
    }

    private List<String> qualified() {
        return features.stream().map(feature -> view + ":" + feature.name()).toList();
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

    /** The events, keyed by user. */
    private void produce(KafkaBroker broker, String topic, List<Event> events) {
        send(
                broker,
                events.stream()
                        .map(e -> new ProducerRecord<>(topic, Long.toString(e.userId()), json(e)))
                        .toList());
    }

    private static void send(KafkaBroker broker, List<ProducerRecord<String, byte[]>> records) {
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
    }

    private byte[] json(Event event) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("user_id", event.userId());
        fields.put("amount", event.amount());
        fields.put("country", event.country());
        fields.put("event_time", event.ts());
        try {
            return json.writeValueAsBytes(fields);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
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
                    List<StoredSnapshot> stored = store.read(view, users);
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
            Map<String, Object> expected = BruteForce.evaluate(
                    userTxn,
                    IntStream.range(0, events.size())
                            .mapToObj(i -> events.get(i).raw(i))
                            .toList(),
                    readAt);
            EntityResult entity = result.results().get(row);
            assertThat(entity.statuses()).as("user %s", userIds.get(row)).containsOnly(FeatureStatus.PRESENT);
            for (int i = 0; i < features.size(); i++) {
                FeatureDefinition feature = features.get(i);
                Object want = expected.get(feature.name());
                Object got = entity.values().get(i);
                if (!BruteForce.matches(feature, want, got)) {
                    mismatches.add(
                            "user " + userIds.get(row) + " " + feature.name() + ": expected " + want + ", got " + got);
                }
            }
        }
        assertThat(mismatches).as("mismatches").isEmpty();
    }

    private FeatureDefinitions definitions(String topic) {
        return Definitions.builder()
                .entity("user", "user_id")
                .transactions(topic, EventFormat.JSON)
                .view(userTxn)
                .build();
    }
}
