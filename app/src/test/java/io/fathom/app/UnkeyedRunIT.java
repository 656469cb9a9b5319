package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.offline.TrainingSetFile;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.RedisExtension;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * Issue 10's acceptance on the real broker, for the online store and for training sets. {@code fathom run} with
 * ingest, the online and offline writers and the API, started through the CLI in this JVM against a real broker and a
 * real redis-server, is fed 100k+ JSON events of 20,000 users while it runs, <b>unkeyed</b> (each record keyed by a
 * random transaction id, so one user's events travel through different partitions and reach the view in an order
 * unrelated to event time), with the view's allowed lateness at 10 minutes.
 *
 * <ul>
 *   <li><b>Online</b> (acceptance point 2): once ingest and the writer have caught up, every user's features read over
 *       HTTP ({@code POST /v1/features/online}, in batches) equal the brute force of docs/semantics.md (testkit's {@link
 *       BruteForce}) over every produced event of the user, at the time the read reports ({@code read_at}); nothing
 *       is dead-lettered.
 *   <li><b>Training set</b> (acceptance point 1): the run is stopped (the offline writer commits its open files on a
 *       clean stop), the event history it archived must hold every produced event exactly once (and the snapshot log
 *       every snapshot), and {@code fathom training-set} run through the CLI over a few thousand entity rows (random
 *       users, some never seen; random times over the 30 hours, before a user's first event, exactly at and just
 *       before event times, at the last and first millisecond of a window, after the run, at the ttl's edge) must
 *       equal, for every row and feature, the brute force over the user's produced events at or before the row's
 *       time, and nulls where the user has none within ttl before it. The same rows {@code --as-known-at} must give
 *       nulls where every snapshot was created after the row's time, and the brute force where every snapshot was
 *       created by then.
 * </ul>
 *
 * Not one value may differ.
 *
 * <p>The events are in the shape of DESIGN's example and roughly in event-time order (sorted, then shuffled within
 * blocks of {@value #SHUFFLE_BLOCK}), over the {@value #SPAN_HOURS} hours before the test: users come in sessions of
 * a few events seconds apart, so consecutive events of a user are often only a few records apart in the stream and
 * reach the view task through different partitions in either order. With the view's 10-minute allowed lateness,
 * DESIGN's watermark (the smallest over the source partitions of the greatest event time seen) accepts all of
 * them: nothing may be dead-lettered. Some users were last seen more than a day (plus lateness) before the read, so
 * their windows are empty and their tiles dropped, but their window-less first and last values remain.
 */
@ExtendWith({KafkaExtension.class, RedisExtension.class})
class UnkeyedRunIT {
    private static final int USERS = 20_000;
    private static final int PARTITIONS = 4;
    private static final int SPAN_HOURS = 30;
    private static final int SHUFFLE_BLOCK = 64;
    /** Sent at a time; the next chunk waits until ingest has read all but {@value #MAX_BACKLOG} of those sent. */
    private static final int CHUNK = 5_000;

    private static final int MAX_BACKLOG = 20_000;
    private static final int READ_BATCH = 1_000;
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US", "GB", "ES"};
    /** The consumer group of the online writer of {@code fathom run} (FathomNode), which commits after Redis acked. */
    private static final String WRITER_GROUP = "fathom-online-writer";
    /** The consumer group of the offline writer of {@code fathom run}, which archives the snapshots and the events. */
    private static final String OFFLINE_GROUP = "fathom-offline-writer";

    private static final String SOURCE = "transactions";

    private static final Path WORK = Path.of("target", "unkeyed-run-it").toAbsolutePath();
    /** The offline root of the run: the default, {@code <data_dir>/offline}. */
    private static final Path OFFLINE = WORK.resolve("data").resolve("offline");

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    private final String suffix = Long.toString(System.nanoTime());
    private final String topic = "unkeyed-transactions-" + suffix;

    /** DESIGN's example view of a user's transactions (count_distinct left out: its sketch is approximate). */
    private final ViewDefinition view = Definitions.view("unkeyed_user_txn")
            .granularity(Duration.ofMinutes(1))
            .ttl(Duration.ofDays(7))
            .allowedLateness(Duration.ofMinutes(10))
            .count("txn_count_1h", HOUR)
            .feature("amount_sum_1h", Aggregation.SUM, "amount", HOUR)
            .feature("amount_avg_1h", Aggregation.MEAN, "amount", HOUR)
            .feature("amount_std_1h", Aggregation.STDDEV, "amount", HOUR)
            .feature("last_amount_1h", Aggregation.LAST, "amount", HOUR)
            .count("txn_count_1d", DAY)
            .feature("amount_sum_1d", Aggregation.SUM, "amount", DAY)
            .feature("amount_avg_1d", Aggregation.MEAN, "amount", DAY)
            .feature("amount_std_1d", Aggregation.STDDEV, "amount", DAY)
            .feature("amount_max_1d", Aggregation.MAX, "amount", DAY)
            .last("last_country", "country")
            .feature("first_country", Aggregation.FIRST, "country", null)
            .build();

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(10);

    /** One produced event; its place in the production order is its sequence for the brute force. */
    record Event(long sequence, long ts, long userId, String txnId, Double amount, String country, boolean isoTime) {
        BruteForce.Event raw() {
            Map<String, Object> fields = new HashMap<>();
            fields.put("amount", amount);
            fields.put("country", country);
            return new BruteForce.Event(ts, sequence, fields);
        }
    }

    @Test
    void onlineReadsAndTrainingSetsEqualTheBruteForce(KafkaBroker broker, RedisServer redis) throws Exception {
        long started = System.nanoTime();
        DataDirs.wipe(WORK);
        broker.createTopics(PARTITIONS, topic);
        Path config = writeConfig(broker, redis);
        long now = Instant.now().toEpochMilli();
        List<Event> events = events(now);
        Map<Long, List<Event>> byUser =
                events.stream().collect(Collectors.groupingBy(Event::userId, LinkedHashMap::new, Collectors.toList()));

        AtomicReference<RunCommand> run = new AtomicReference<>();
        StringWriter console = new StringWriter();
        CommandLine cli = RunCli.cli(run, console);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        Future<Integer> exit = runner.submit(() -> cli.execute(
                "run", "--config", config.toString(), "--components", "ingest,online-writer,offline-writer,api"));
        int exitCode;
        Produced produced;
        SnapshotLog snapshots;
        try {
            int port = await("fathom run prints its API port")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> RunCli.apiPort(console.toString(), exit), p -> p > 0);
            URI api = URI.create("http://127.0.0.1:" + port);
            await("ingest RUNNING and the writers applying (GET /readyz)")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(api.resolve("/readyz")).statusCode() == 200);
            System.out.printf("UnkeyedRunIT: fathom run ready after %.1f s%n", seconds(started));

            long producing = System.nanoTime();
            produced = produce(broker, api, events);
            long spread = usersOverSeveralPartitions(events, produced);
            double produceSeconds = seconds(producing);

            long catchingUp = System.nanoTime();
            Status status = awaitIngestRead(api, events.size());
            snapshots = awaitSnapshotsApplied(broker, events.size() - status.deadLetters());
            double catchUpSeconds = seconds(catchingUp);

            Comparison comparison = compare(api, byUser);
            System.out.printf(
                    "UnkeyedRunIT: %,d events of %,d users, produced unkeyed over %d partitions (%,d users' events"
                            + " through more than one) in %.1f s while ingest ran; caught up %.1f s after the last"
                            + " send%n"
                            + "UnkeyedRunIT: %,d snapshots, %,d dead letters; %,d states of %,d users not advancing in"
                            + " event time, %,d of them with the event_ts and created_ts of the state before%n"
                            + "UnkeyedRunIT: read at the time of each batch: %,d users with events in the last hour,"
                            + " %,d with none in the last day%n"
                            + "UnkeyedRunIT: online: %,d values compared (%,d users x %d features) and %,d event"
                            + " times: %,d mismatches; %.1f s in all%n",
                    events.size(),
                    byUser.size(),
                    PARTITIONS,
                    spread,
                    produceSeconds,
                    catchUpSeconds,
                    snapshots.count,
                    status.deadLetters(),
                    snapshots.outOfOrder,
                    snapshots.usersOutOfOrder.size(),
                    snapshots.tied,
                    comparison.activeHour(),
                    comparison.emptyDay(),
                    comparison.values(),
                    byUser.size(),
                    view.features().size(),
                    comparison.eventTimes(),
                    comparison.mismatches().size(),
                    seconds(started));
            comparison.mismatches().stream().limit(30).forEach(m -> System.out.println("  mismatch: " + m));

            // the run exercised what it is about: states of users that follow a state with a later event
            assertThat(snapshots.usersOutOfOrder)
                    .as("users whose events reached ingest out of event-time order")
                    .hasSizeGreaterThan(USERS / 10);
            assertThat(snapshots.tied)
                    .as("snapshots with the event_ts and created_ts of the state before")
                    .isGreaterThan(100);
            assertThat(comparison.values())
                    .isEqualTo((long) byUser.size() * view.features().size());
            assertThat(comparison.mismatches())
                    .as("online values that differ from the brute force")
                    .isEmpty();
            assertThat(status.deadLetters())
                    .as("dead letters (%s): the watermark allows every event", status.byReason())
                    .isZero();
            assertThat(snapshots.count).as("one snapshot per event").isEqualTo(events.size());

            awaitOfflineWriterRead(events.size(), snapshots.count);
        } finally {
            RunCommand command = run.get();
            if (command != null) {
                command.stop();
            }
            try {
                exitCode = exit.get(90, TimeUnit.SECONDS);
            } finally {
                runner.shutdownNow();
            }
        }
        assertThat(exitCode)
                .as("fathom run's exit code; its console:%n%s", console)
                .isZero();
        long stoppedAt = Instant.now().toEpochMilli();

        long archiving = System.nanoTime();
        assertEventHistoryHoldsEveryEvent(events, produced);
        assertSnapshotLogHoldsEverySnapshot(snapshots);
        System.out.printf("UnkeyedRunIT: archive checked in %.1f s%n", seconds(archiving));

        List<Row> rows = entityRows(byUser, now, stoppedAt);
        Path rowsFile = writeEntityRows(rows);
        Map<String, Object> allNull = new LinkedHashMap<>();
        view.features().forEach(f -> allNull.put(f.name(), null));

        long joining = System.nanoTime();
        Path eventTime = trainingSet(rowsFile, "training-set.csv", false);
        double eventTimeSeconds = seconds(joining);
        TrainingComparison exact =
                compareTrainingSet(eventTime, rows, byUser, row -> Optional.of(bruteForce(row, byUser, allNull)));
        System.out.printf(
                "UnkeyedRunIT: training set in event time (%.1f s): %,d rows (%,d with values, %,d all null), %,d"
                        + " values compared: %,d mismatches%n",
                eventTimeSeconds,
                exact.rows(),
                exact.withValues(),
                exact.allNull(),
                exact.values(),
                exact.mismatches().size());
        exact.mismatches().stream().limit(30).forEach(m -> System.out.println("  mismatch: " + m));

        joining = System.nanoTime();
        Path asKnownAt = trainingSet(rowsFile, "training-set-as-known-at.csv", true);
        double asKnownAtSeconds = seconds(joining);
        TrainingComparison known = compareTrainingSet(asKnownAt, rows, byUser, row -> {
            if (row.t() < snapshots.firstCreated) {
                return Optional.of(allNull); // every snapshot was created after t
            }
            if (row.t() >= snapshots.lastCreated) {
                return Optional.of(bruteForce(row, byUser, allNull)); // every snapshot was created by t
            }
            return Optional.empty();
        });
        System.out.printf(
                "UnkeyedRunIT: training set as known at t (%.1f s): %,d rows before the first snapshot was created"
                        + " (all null), %,d after the last (%,d with values), %,d in between not checked; %,d values"
                        + " compared: %,d mismatches; %.1f s in all%n",
                asKnownAtSeconds,
                rows.stream().filter(r -> r.t() < snapshots.firstCreated).count(),
                rows.stream().filter(r -> r.t() >= snapshots.lastCreated).count(),
                known.withValues(),
                rows.size() - known.rows(),
                known.values(),
                known.mismatches().size(),
                seconds(started));
        known.mismatches().stream().limit(30).forEach(m -> System.out.println("  mismatch: " + m));

        assertThat(exact.rows()).isEqualTo(rows.size());
        assertThat(exact.values())
                .isEqualTo((long) rows.size() * view.features().size());
        assertThat(exact.withValues()).as("rows with values").isGreaterThan(rows.size() / 2);
        assertThat(exact.allNull()).as("rows of all nulls").isGreaterThan(rows.size() / 20);
        assertThat(exact.mismatches())
                .as("training-set values (event time) that differ from the brute force")
                .isEmpty();
        assertThat(known.mismatches())
                .as("training-set values (as known at t) that differ from the expected")
                .isEmpty();
        assertThat(known.withValues()).as("rows as known at t with values").isGreaterThan(100);
    }

    // ---- the events ----

    /**
     * Sessions of 1–4 events, 2–40 s apart, 1–4 sessions per user, starting anywhere in the {@value #SPAN_HOURS}
     * hours before {@code now} less ten minutes; every event time is distinct (so first and last have no ties to
     * break). Amounts are whole cents in [0.01, 500.00], one in ten missing; one country in twelve is missing; one
     * event time in five is written as ISO-8601 with an offset. Returned in production order: sorted by time, then
     * shuffled within blocks of {@value #SHUFFLE_BLOCK}.
     */
    private List<Event> events(long now) {
        long end = now - Duration.ofMinutes(10).toMillis();
        long start = end - Duration.ofHours(SPAN_HOURS).toMillis();
        Set<Long> taken = new HashSet<>();
        List<Event> unordered = new ArrayList<>();
        for (long user = 0; user < USERS; user++) {
            int sessions = 1 + random.nextInt(4);
            for (int s = 0; s < sessions; s++) {
                long at = start
                        + (long) (random.nextDouble()
                                * (end - start - Duration.ofMinutes(3).toMillis()));
                int count = 1 + random.nextInt(4);
                for (int e = 0; e < count; e++) {
                    long ts = at;
                    while (!taken.add(ts)) {
                        ts++;
                    }
                    unordered.add(new Event(
                            0,
                            ts,
                            user,
                            Long.toHexString(random.nextLong()),
                            random.nextInt(10) == 0 ? null : (1 + random.nextInt(50_000)) / 100.0,
                            random.nextInt(12) == 0 ? null : COUNTRIES[random.nextInt(COUNTRIES.length)],
                            random.nextInt(5) == 0));
                    at += 2_000 + random.nextInt(38_000);
                }
            }
        }
        unordered.sort(Comparator.comparingLong(Event::ts));
        for (int from = 0; from < unordered.size(); from += SHUFFLE_BLOCK) {
            Collections.shuffle(unordered.subList(from, Math.min(from + SHUFFLE_BLOCK, unordered.size())), random);
        }
        List<Event> events = new ArrayList<>(unordered.size());
        for (Event e : unordered) {
            events.add(new Event(events.size(), e.ts(), e.userId(), e.txnId(), e.amount(), e.country(), e.isoTime()));
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(100_000);
        return events;
    }

    /** Where each event went, by sequence: its partition and offset in the source topic. */
    record Produced(int[] partition, long[] offset) {
        long position(int sequence) {
            return position(partition[sequence], offset[sequence]);
        }

        static long position(int partition, long offset) {
            return (long) partition << 40 | offset;
        }
    }

    /**
     * Sends the events keyed by their transaction id (the default partitioner spreads them over the partitions at
     * random), chunk by chunk, each chunk only once ingest has read all but {@value #MAX_BACKLOG} of the events
     * before it: production and ingest overlap from the first chunk to the last.
     */
    private Produced produce(KafkaBroker broker, URI api, List<Event> events) throws JsonProcessingException {
        Produced produced = new Produced(new int[events.size()], new long[events.size()]);
        try (TestProducer<String, byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new ByteArraySerializer())) {
            for (int from = 0; from < events.size(); from += CHUNK) {
                List<ProducerRecord<String, byte[]>> chunk = new ArrayList<>();
                for (Event e : events.subList(from, Math.min(from + CHUNK, events.size()))) {
                    chunk.add(new ProducerRecord<>(topic, e.txnId(), json(e)));
                }
                List<RecordMetadata> written = producer.send(chunk);
                for (int i = 0; i < written.size(); i++) {
                    produced.partition()[from + i] = written.get(i).partition();
                    produced.offset()[from + i] = written.get(i).offset();
                }
                long sent = from + chunk.size();
                await("ingest within " + MAX_BACKLOG + " events of the " + sent + " sent")
                        .atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> status(api).eventsTotal() >= sent - MAX_BACKLOG);
            }
        }
        return produced;
    }

    /** The users whose events went through more than one partition. */
    private static long usersOverSeveralPartitions(List<Event> events, Produced produced) {
        Map<Long, Set<Integer>> partitions = new HashMap<>();
        for (Event e : events) {
            partitions.computeIfAbsent(e.userId(), u -> new HashSet<>()).add(produced.partition()[(int) e.sequence()]);
        }
        return partitions.values().stream().filter(p -> p.size() > 1).count();
    }

    private byte[] json(Event e) throws JsonProcessingException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("txn_id", e.txnId());
        fields.put("user_id", e.userId());
        fields.put("amount", e.amount());
        if (e.country() != null) {
            fields.put("country", e.country());
        }
        fields.put("merchant", "m" + Math.floorMod(e.txnId().hashCode(), 500));
        fields.put(
                "event_time",
                e.isoTime()
                        ? OffsetDateTime.ofInstant(Instant.ofEpochMilli(e.ts()), ZoneOffset.ofHours(2))
                                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                        : e.ts());
        return json.writeValueAsBytes(fields);
    }

    // ---- waiting for the node to catch up ----

    record Status(long eventsTotal, long snapshotsTotal, long deadLetters, JsonNode byReason) {}

    private Status status(URI api) throws IOException, InterruptedException {
        JsonNode body = json.readTree(get(api.resolve("/v1/status")).body());
        JsonNode ours = null;
        for (JsonNode v : body.get("views")) {
            if (v.get("name").asText().equals(view.name())) {
                ours = v;
            }
        }
        assertThat(ours).as("the view in GET /v1/status: %s", body).isNotNull();
        return new Status(
                ours.get("events_total").asLong(),
                ours.get("snapshots_total").asLong(),
                body.get("dead_letters_total").asLong(),
                body.get("dead_letters"));
    }

    /** Until ingest has read every event and turned each into a snapshot or a dead letter (its own counters). */
    private Status awaitIngestRead(URI api, int events) {
        return await("ingest has read and aggregated all " + events + " events (GET /v1/status)")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> status(api),
                        s -> s.eventsTotal() >= events && s.snapshotsTotal() + s.deadLetters() >= events);
    }

    /**
     * What the snapshot topic shows of the arrival order, per user in ingest's order (one user's snapshots share a
     * partition): snapshots whose {@code event_ts} did not advance (an earlier event of the user arrived after a
     * later one), the users with at least one, and snapshots whose {@code event_ts} and {@code created_ts} both equal
     * those of the user's snapshot before (the later state an online write by those times alone would drop). Also
     * where each snapshot is (partition and offset), and the first and last {@code created_ts}.
     */
    static final class SnapshotLog {
        private final SnapshotCodec codec = new SnapshotCodec();
        private final Map<String, SlicedSnapshot> previous = new HashMap<>();
        private final Set<String> usersOutOfOrder = new HashSet<>();
        private final Set<Long> positions = new HashSet<>();
        private long count;
        private long outOfOrder;
        private long tied;
        private long firstCreated = Long.MAX_VALUE;
        private long lastCreated = Long.MIN_VALUE;

        void add(ConsumerRecord<byte[], byte[]> record) {
            SlicedSnapshot snapshot = codec.decode(record.value());
            SlicedSnapshot before = previous.put(snapshot.entityKey(), snapshot);
            count++;
            positions.add(Produced.position(record.partition(), record.offset()));
            firstCreated = Math.min(firstCreated, snapshot.createdTs());
            lastCreated = Math.max(lastCreated, snapshot.createdTs());
            if (before != null && snapshot.eventTs() <= before.eventTs()) {
                outOfOrder++;
                usersOutOfOrder.add(snapshot.entityKey());
                if (snapshot.eventTs() == before.eventTs() && snapshot.createdTs() == before.createdTs()) {
                    tied++;
                }
            }
        }
    }

    /**
     * Until the online writer has applied every snapshot ingest committed: reads the snapshot topic to its end
     * (read_committed: what the writer can see), noting each partition's last record, then waits until the writer's
     * group has committed past each, which it does only after Redis acknowledged the batch. An online read that
     * shows the user's latest event time is no such sign: an earlier event that arrived after the latest makes a
     * later state with that same time.
     */
    private SnapshotLog awaitSnapshotsApplied(KafkaBroker broker, long expected) {
        Map<TopicPartition, Long> next = new HashMap<>();
        SnapshotLog log = new SnapshotLog();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                broker.kafka().consumerProperties("unkeyed-count-" + suffix),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(view.snapshotTopic()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("every snapshot committed to " + view.snapshotTopic())
                    .atMost(Duration.ofMinutes(2))
                    .pollInSameThread() // the consumer is this thread's
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
                            log.add(r);
                        }
                        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                        return log.count >= expected
                                && partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
                    });
        }
        try (Admin admin = Admin.create(broker.kafka().adminProperties())) {
            await("the online writer has committed (after Redis acknowledged) every snapshot")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(WRITER_GROUP)
                                .partitionsToOffsetAndMetadata()
                                .get();
                        return next.entrySet().stream()
                                .allMatch(e -> committed.get(e.getKey()) != null
                                        && committed.get(e.getKey()).offset() >= e.getValue());
                    });
        }
        return log;
    }

    // ---- the comparison ----

    /**
     * @param emptyDay users whose 1-day windows are empty at the read (by the brute force): last seen over a day ago
     * @param activeHour users with an event in the last hour's window
     */
    record Comparison(long values, long eventTimes, long emptyDay, long activeHour, List<String> mismatches) {}

    /**
     * Reads every user's features over HTTP, {@value #READ_BATCH} users a request, and compares each with the brute
     * force over the user's produced events at the request's {@code read_at}. Numbers go through {@link
     * BruteForce#matches}: equal to 1e-9 relative (absolute below 1). The pipeline adds each value with Welford's
     * update and merges one-minute tiles with Chan's formula, the brute force sums the window's values twice over in
     * event order; over at most a few dozen amounts of at most 500.00 the two differ by rounding alone, some
     * 1e-13 at most. One event missing or counted twice moves a count by 1, a sum by at least 0.01 (a relative
     * 3e-7 of the largest possible sum), and a mean, deviation, maximum or last value of the window with it, far
     * beyond the tolerance. Counts, texts, statuses, nulls and event times must be equal.
     */
    private Comparison compare(URI api, Map<Long, List<Event>> byUser) throws IOException, InterruptedException {
        List<FeatureDefinition> features = view.features();
        List<String> names =
                features.stream().map(f -> view.name() + ":" + f.name()).toList();
        List<Long> users = List.copyOf(byUser.keySet());
        long values = 0;
        long eventTimes = 0;
        long emptyDay = 0;
        long activeHour = 0;
        List<String> mismatches = new ArrayList<>();
        for (int from = 0; from < users.size(); from += READ_BATCH) {
            List<Long> batch = users.subList(from, Math.min(from + READ_BATCH, users.size()));
            Map<String, Object> request = Map.of("features", names, "entities", Map.of("user_id", batch));
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(api.resolve("/v1/features/online"))
                            .header("content-type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode body = json.readTree(response.body());
            long readAt = body.get("read_at").asLong();
            JsonNode results = body.get("results");
            assertThat(results).hasSize(batch.size());
            for (int row = 0; row < batch.size(); row++) {
                long user = batch.get(row);
                JsonNode result = results.get(row);
                assertThat(result.get("entity").get("user_id").asLong()).isEqualTo(user);
                List<Event> own = byUser.get(user);
                Map<String, Object> expected =
                        BruteForce.evaluate(view, own.stream().map(Event::raw).toList(), readAt);
                long latest = own.stream().mapToLong(Event::ts).max().orElseThrow();
                emptyDay += expected.get("txn_count_1d").equals(0L) ? 1 : 0;
                activeHour += expected.get("txn_count_1h").equals(0L) ? 0 : 1;
                for (int i = 0; i < features.size(); i++) {
                    FeatureDefinition feature = features.get(i);
                    Object want = expected.get(feature.name());
                    Object got = value(result.get("values").get(i));
                    String status = result.get("statuses").get(i).asText();
                    values++;
                    if (!status.equals("PRESENT") || !BruteForce.matches(feature, want, got)) {
                        mismatches.add(String.format(
                                "user %d %s at %d: expected %s, got %s (%s); events %s",
                                user, feature.name(), readAt, want, got, status, describe(own)));
                    }
                    JsonNode eventTs = result.get("event_timestamps").get(i);
                    eventTimes++;
                    if (eventTs.isNull() || eventTs.asLong() != latest) {
                        mismatches.add(String.format(
                                "user %d %s: event_ts %s, latest event %d", user, feature.name(), eventTs, latest));
                    }
                }
            }
        }
        return new Comparison(values, eventTimes, emptyDay, activeHour, mismatches);
    }

    private static Object value(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isFloatingPointNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        throw new IllegalArgumentException("not a feature value: " + node);
    }

    private static String describe(List<Event> events) {
        return events.stream()
                .map(e -> "#" + e.sequence() + "@" + e.ts() + "=" + e.amount() + "/" + e.country())
                .collect(Collectors.joining(", ", "[", "]"));
    }

    // ---- the offline writer's archive ----

    /**
     * Until the offline writer's consumer has handed every event and every snapshot to the writer's loop, which
     * appends each record it is given to its partition's open file before it looks at a stop (and a clean stop
     * commits the open files). The writer's committed offsets cannot tell while it runs: they trail the files, which
     * roll every five minutes by default (the run configuration does not set it). Kafka's consumer metrics can:
     * {@code records-consumed-total} per topic, over JMX in this JVM. The writer seeks past its committed files on a
     * rebalance, so it is given no record twice unless a partition is lost; then the archive checks below fail.
     */
    private void awaitOfflineWriterRead(long events, long snapshots) {
        Map<String, Long> expected = Map.of(topic, events, view.snapshotTopic(), snapshots);
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(Map.of());
        long waiting = System.nanoTime();
        try {
            await("the offline writer has been given every event and snapshot (its consumer's"
                            + " records-consumed-total, JMX)")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<String, Long> consumed = consumedByOfflineWriter(expected.keySet());
                        last.set(consumed);
                        return expected.entrySet().stream()
                                .allMatch(e -> consumed.getOrDefault(e.getKey(), 0L) >= e.getValue());
                    });
        } catch (RuntimeException e) {
            throw new AssertionError(
                    "records consumed by the offline writer: " + last.get() + ", expected " + expected, e);
        }
        System.out.printf(
                "UnkeyedRunIT: the offline writer had been given %s records %.1f s after the online comparison%n",
                last.get(), seconds(waiting));
    }

    /**
     * Per topic, the records the offline writer's consumer has returned to its loop. Kafka reports a topic whose name
     * has dots twice, also under a deprecated tag with the dots as underscores; only the topic's own name is read.
     */
    private static Map<String, Long> consumedByOfflineWriter(Set<String> topics) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Map<String, Long> consumed = new HashMap<>();
        for (ObjectName name : server.queryNames(
                new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*,topic=*"), null)) {
            String tagged = name.getKeyProperty("topic");
            if (name.getKeyProperty("client-id").startsWith("consumer-" + OFFLINE_GROUP + "-")
                    && topics.contains(tagged)) {
                double total = ((Number) server.getAttribute(name, "records-consumed-total")).doubleValue();
                consumed.merge(tagged, (long) total, Long::sum);
            }
        }
        return consumed;
    }

    /**
     * The event history the offline writer archived ({@code _events/<source>/date=…/*.parquet}, read as the offline
     * store's README tells a reader to) holds every produced event once, at its partition and offset, with its event
     * time and its JSON text as sent, and nothing else.
     */
    private void assertEventHistoryHoldsEveryEvent(List<Event> events, Produced produced) throws IOException {
        Map<Long, Event> byPosition = new HashMap<>();
        events.forEach(e -> byPosition.put(produced.position((int) e.sequence()), e));
        Set<Long> seen = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        List<Path> files = dataFiles(OFFLINE.resolve("_events").resolve(SOURCE));
        long rows = 0;
        for (Path file : files) {
            Map<String, List<Object>> columns = TrainingSetFile.readColumns(file);
            List<Object> partitions = columns.get("_kafka_partition");
            for (int i = 0; i < partitions.size(); i++) {
                rows++;
                int partition = ((Number) partitions.get(i)).intValue();
                long offset = ((Number) columns.get("_kafka_offset").get(i)).longValue();
                long ts = ((Number) columns.get("_event_ts").get(i)).longValue();
                String value = columns.get("_value").get(i).toString();
                long position = Produced.position(partition, offset);
                Event e = byPosition.get(position);
                if (e == null) {
                    wrong.add(String.format("%s: %d@%d was not produced", file.getFileName(), partition, offset));
                } else if (!seen.add(position)) {
                    wrong.add(String.format("%s: %d@%d archived twice", file.getFileName(), partition, offset));
                } else if (ts != e.ts() || !value.equals(new String(json(e), StandardCharsets.UTF_8))) {
                    wrong.add(String.format(
                            "%s: %d@%d archived as %d %s, produced %d %s",
                            file.getFileName(),
                            partition,
                            offset,
                            ts,
                            value,
                            e.ts(),
                            new String(json(e), StandardCharsets.UTF_8)));
                }
            }
        }
        System.out.printf(
                "UnkeyedRunIT: event history: %,d files, %,d rows, %,d of the %,d produced events, %,d wrong%n",
                files.size(), rows, seen.size(), events.size(), wrong.size());
        wrong.stream().limit(30).forEach(w -> System.out.println("  " + w));
        assertThat(wrong)
                .as("archived events that differ from the produced ones")
                .isEmpty();
        assertThat(seen).as("produced events archived").hasSize(events.size());
    }

    /** The offline writer's snapshot files hold every snapshot of the topic once (by partition and offset). */
    private void assertSnapshotLogHoldsEverySnapshot(SnapshotLog snapshots) throws IOException {
        List<Long> stored = new ArrayList<>();
        List<Path> files = dataFiles(OFFLINE.resolve(view.name()));
        for (Path file : files) {
            Map<String, List<Object>> columns = TrainingSetFile.readColumns(file);
            List<Object> partitions = columns.get("kafka_partition");
            for (int i = 0; i < partitions.size(); i++) {
                stored.add(Produced.position(
                        ((Number) partitions.get(i)).intValue(),
                        ((Number) columns.get("kafka_offset").get(i)).longValue()));
            }
        }
        System.out.printf(
                "UnkeyedRunIT: snapshot log: %,d files, %,d rows, %,d snapshots on the topic%n",
                files.size(), stored.size(), snapshots.count);
        assertThat(stored).as("snapshots stored").doesNotHaveDuplicates().hasSize(snapshots.positions.size());
        assertThat(new HashSet<>(stored)).as("snapshots stored").isEqualTo(snapshots.positions);
    }

    /** A dataset's committed Parquet files: names starting with {@code _} or {@code .} (temporaries) skipped. */
    private static List<Path> dataFiles(Path dataset) throws IOException {
        try (Stream<Path> walk = Files.walk(dataset)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(".parquet"))
                    .filter(f -> {
                        for (Path part : dataset.relativize(f)) {
                            if (part.toString().startsWith("_")
                                    || part.toString().startsWith(".")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        }
    }

    // ---- the training sets ----

    /** An entity row: the user, its time, how it was picked, and whether its time is written as ISO-8601. */
    record Row(long user, long t, String kind, boolean isoTime) {
        String timestamp() {
            return isoTime
                    ? OffsetDateTime.ofInstant(Instant.ofEpochMilli(t), ZoneOffset.ofHours(-5))
                            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    : Long.toString(t);
        }
    }

    /**
     * Entity rows of every kind that can go wrong, shuffled: random users at random times over the events' span
     * (from an hour before it to the test's start), users never seen, times before a user's first event, exactly at
     * one of its events and a millisecond before, at the last and the first millisecond of a window after an event
     * (the window starts at the granularity's floor of {@code t - window}), after the run, at the last and first
     * millisecond of the ttl after a user's latest event, and some rows twice.
     */
    private List<Row> entityRows(Map<Long, List<Event>> byUser, long now, long stoppedAt) {
        long spanEnd = now - Duration.ofMinutes(10).toMillis();
        long from = spanEnd - Duration.ofHours(SPAN_HOURS + 1).toMillis();
        long g = view.granularity().toMillis();
        long ttl = view.ttl().toMillis();
        List<Long> users = List.copyOf(byUser.keySet());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            rows.add(row(users.get(random.nextInt(users.size())), random.nextLong(from, now), "random time"));
        }
        for (int i = 0; i < 300; i++) {
            rows.add(row(USERS + random.nextInt(USERS), random.nextLong(from, now), "never seen"));
        }
        for (int i = 0; i < 400; i++) {
            long user = users.get(random.nextInt(users.size()));
            long first = byUser.get(user).stream().mapToLong(Event::ts).min().orElseThrow();
            rows.add(row(user, random.nextLong(from, first), "before the first event"));
        }
        for (int i = 0; i < 1_500; i++) {
            long user = users.get(random.nextInt(users.size()));
            List<Event> own = byUser.get(user);
            long ts = own.get(random.nextInt(own.size())).ts();
            switch (i % 5) {
                case 0, 1 -> rows.add(row(user, ts, "at an event"));
                case 2 -> rows.add(row(user, ts - 1, "just before an event"));
                default -> {
                    long window = (i % 2 == 0 ? HOUR : DAY).toMillis();
                    long out = Math.floorDiv(ts, g) * g + g + window; // the first t whose window leaves ts out
                    rows.add(row(user, i % 5 == 3 ? out - 1 : out, i % 5 == 3 ? "window's last ms" : "window's end"));
                }
            }
        }
        for (int i = 0; i < 300; i++) {
            rows.add(row(
                    users.get(random.nextInt(users.size())),
                    stoppedAt + random.nextLong(HOUR.toMillis()),
                    "after the run"));
        }
        for (int i = 0; i < 200; i++) {
            long user = users.get(random.nextInt(users.size()));
            long latest = byUser.get(user).stream().mapToLong(Event::ts).max().orElseThrow();
            rows.add(row(user, latest + ttl + i % 2, i % 2 == 0 ? "ttl's last ms" : "ttl's end"));
        }
        for (int i = 0; i < 100; i++) {
            rows.add(rows.get(random.nextInt(rows.size())));
        }
        Collections.shuffle(rows, random);
        return rows;
    }

    private Row row(long user, long t, String kind) {
        return new Row(user, t, kind, random.nextInt(5) == 0);
    }

    /** The entity rows as a user writes them: CSV, {@code user_id,event_timestamp}. */
    private static Path writeEntityRows(List<Row> rows) throws IOException {
        StringBuilder csv = new StringBuilder("user_id,event_timestamp\n");
        rows.forEach(r -> csv.append(r.user()).append(',').append(r.timestamp()).append('\n'));
        Path file = WORK.resolve("entity-rows.csv");
        Files.writeString(file, csv);
        return file;
    }

    /** {@code fathom training-set} through the CLI, as a user runs it; the output file. */
    private Path trainingSet(Path rows, String name, boolean asKnownAt) {
        Path out = WORK.resolve(name);
        List<String> args = new ArrayList<>(List.of(
                "training-set",
                "--entities",
                rows.toString(),
                "--features",
                view.name() + ":*",
                "--out",
                out.toString(),
                "--definitions",
                WORK.resolve("definitions.yaml").toString(),
                "--offline",
                OFFLINE.toString()));
        if (asKnownAt) {
            args.add("--as-known-at");
        }
        StringWriter printed = new StringWriter();
        int exit = new CommandLine(new FathomCli())
                .setOut(new PrintWriter(printed, true))
                .setErr(new PrintWriter(printed, true))
                .execute(args.toArray(String[]::new));
        System.out.print("UnkeyedRunIT: fathom " + String.join(" ", args) + "\n  " + printed);
        assertThat(exit).as("fathom training-set's exit code: %s", printed).isZero();
        return out;
    }

    /**
     * The user's features at the row's time by docs/semantics.md: the brute force over the user's produced events
     * at or before t, or all nulls when the user has none within ttl before t (its latest event at or before t is
     * before {@code t - ttl}, or there is none).
     */
    private Map<String, Object> bruteForce(Row row, Map<Long, List<Event>> byUser, Map<String, Object> allNull) {
        List<BruteForce.Event> before = byUser.getOrDefault(row.user(), List.of()).stream()
                .filter(e -> e.ts() <= row.t())
                .map(Event::raw)
                .toList();
        long latest = before.stream().mapToLong(BruteForce.Event::ts).max().orElse(Long.MIN_VALUE);
        if (before.isEmpty() || latest < row.t() - view.ttl().toMillis()) {
            return allNull;
        }
        return BruteForce.evaluate(view, before, row.t());
    }

    /**
     * @param rows the rows compared (those with an expectation)
     * @param withValues rows compared whose expected values are not all null
     * @param allNull rows compared expected all null
     */
    record TrainingComparison(long rows, long values, long withValues, long allNull, List<String> mismatches) {}

    /**
     * Compares a training-set CSV row by row with the entity rows (its input columns carried as written, in input
     * order) and each row's features with {@code expected} (none: not compared), with {@link BruteForce#matches}
     * (see {@link #compare}): a number parsed from the CSV cell, null for an empty one.
     */
    private TrainingComparison compareTrainingSet(
            Path file,
            List<Row> rows,
            Map<Long, List<Event>> byUser,
            Function<Row, Optional<Map<String, Object>>> expected) {
        Map<String, List<Object>> columns = TrainingSetFile.readColumns(file);
        List<String> header = new ArrayList<>(List.of("user_id", "event_timestamp"));
        view.features().forEach(f -> header.add(view.name() + "__" + f.name()));
        assertThat(columns.keySet()).as("the columns of %s", file).containsExactlyElementsOf(header);
        assertThat(columns.get("user_id")).as("the rows of %s", file).hasSize(rows.size());
        long compared = 0;
        long values = 0;
        long withValues = 0;
        long allNull = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (!Long.toString(row.user()).equals(columns.get("user_id").get(i))
                    || !row.timestamp().equals(columns.get("event_timestamp").get(i))) {
                mismatches.add(String.format(
                        "row %d: input %d,%s carried as %s,%s",
                        i + 1,
                        row.user(),
                        row.timestamp(),
                        columns.get("user_id").get(i),
                        columns.get("event_timestamp").get(i)));
            }
            Optional<Map<String, Object>> want = expected.apply(row);
            if (want.isEmpty()) {
                continue;
            }
            compared++;
            if (want.get().values().stream().allMatch(Objects::isNull)) {
                allNull++;
            } else {
                withValues++;
            }
            for (FeatureDefinition feature : view.features()) {
                Object cell = columns.get(view.name() + "__" + feature.name()).get(i);
                Object wanted = want.get().get(feature.name());
                values++;
                Object got;
                try {
                    got = parse(feature, (String) cell);
                } catch (NumberFormatException e) {
                    got = "unparseable " + cell;
                }
                if (!BruteForce.matches(feature, wanted, got)) {
                    mismatches.add(String.format(
                            "row %d (%s) user %d at %d: %s expected %s, got %s; events %s",
                            i + 1,
                            row.kind(),
                            row.user(),
                            row.t(),
                            feature.name(),
                            wanted,
                            cell,
                            describe(byUser.getOrDefault(row.user(), List.of()))));
                }
            }
        }
        return new TrainingComparison(compared, values, withValues, allNull, mismatches);
    }

    /** A CSV cell of a feature as the value's type: counts whole numbers, amounts doubles, countries text. */
    private static Object parse(FeatureDefinition feature, String cell) {
        if (cell == null) {
            return null;
        }
        return switch (feature.aggregation()) {
            case COUNT, COUNT_DISTINCT -> Long.parseLong(cell);
            case SUM, MEAN, MIN, MAX, STDDEV -> Double.parseDouble(cell);
            case FIRST, LAST -> feature.field().orElseThrow().equals("amount")
                    ? (Object) Double.parseDouble(cell)
                    : cell;
        };
    }

    // ---- fathom run ----

    /** The definitions and the run configuration, as a user writes them. */
    private Path writeConfig(KafkaBroker broker, RedisServer redis) throws IOException {
        StringBuilder yaml = new StringBuilder()
                .append("entities:\n")
                .append("  - name: user\n")
                .append("    keys: [user_id]\n")
                .append("sources:\n")
                .append("  - name: ")
                .append(SOURCE)
                .append('\n')
                .append("    topic: ")
                .append(topic)
                .append('\n')
                .append("    format: json\n")
                .append("    timestamp: event_time\n")
                .append("views:\n")
                .append("  - name: ")
                .append(view.name())
                .append('\n')
                .append("    entity: user\n")
                .append("    source: transactions\n")
                .append("    granularity: ")
                .append(duration(view.granularity()))
                .append('\n')
                .append("    ttl: ")
                .append(duration(view.ttl()))
                .append('\n')
                .append("    allowed_lateness: ")
                .append(duration(view.allowedLateness()))
                .append('\n')
                .append("    features:\n");
        for (FeatureDefinition f : view.features()) {
            yaml.append("      - {name: ")
                    .append(f.name())
                    .append(", aggregation: ")
                    .append(f.aggregation().yamlName());
            f.field().ifPresent(field -> yaml.append(", field: ").append(field));
            f.window().ifPresent(window -> yaml.append(", window: ").append(duration(window)));
            yaml.append("}\n");
        }
        Files.writeString(WORK.resolve("definitions.yaml"), yaml);
        return RunConfigFile.write(
                WORK.resolve("fathom-run.yaml"), "definitions.yaml", broker, PARTITIONS, redis, "data");
    }

    private static String duration(Duration d) {
        long minutes = d.toMinutes();
        return minutes % (24 * 60) == 0
                ? minutes / (24 * 60) + "d"
                : minutes % 60 == 0 ? minutes / 60 + "h" : minutes + "m";
    }

    /** The API port {@code fathom run} printed, or 0 while it has not; fails at once if the command ended. */
    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
