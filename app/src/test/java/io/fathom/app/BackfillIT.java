package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.config.RunConfigLoader;
import io.fathom.app.node.Component;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.kafka.GroupOffsets;
import io.fathom.offline.EntityRow;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.OfflineWriterConfig;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingRow;
import io.fathom.online.EntityResult;
import io.fathom.online.FeatureStatus;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.online.OnlineStore;
import io.fathom.online.RedisOnlineStore;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.RedisExtension;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A view added after its events were ingested, the way an operator adds one: {@code fathom run} (ingest, the
 * online and offline writers) against a real broker and Redis ingests a day of unkeyed events for a first view;
 * it is stopped, a second view of the same source is added to the definitions, {@code fathom backfill --view
 * <new> --to-online} runs, {@code fathom run} starts again with the new definitions and more events arrive. Then
 * the new view's as-known-at training set over the backfilled day, and every entity's online read at the end,
 * equal the brute force over every event: nothing before the boundary missed, nothing counted twice.
 */
@ExtendWith({KafkaExtension.class, RedisExtension.class})
class BackfillIT {
    private static final int USERS = 1_500;
    private static final int BEFORE = 12_000;
    private static final int AFTER = 6_000;
    private static final int PARTITIONS = 4;
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final String suffix = Long.toString(System.nanoTime());
    private final String topic = "backfill-it-" + suffix;
    private final String oldView = "user_count_" + suffix;
    private final String newView = "user_amounts_" + suffix;
    private final Random random = new Random(23);
    private final Map<Long, List<BruteForce.Event>> eventsByUser = new HashMap<>();
    private long sequence;

    @Test
    void aViewAddedLaterAndBackfilledToOnlineServesTheBruteForceOfEveryEvent(KafkaBroker broker, RedisServer redis)
            throws Exception {
        broker.createTopics(PARTITIONS, topic);
        long now = Instant.now().toEpochMilli();
        Path config = writeConfig(broker, redis, false);

        try (FathomNode first = start(config)) {
            produce(broker, BEFORE, now - hours(26), now - hours(2));
            awaitCaughtUp(broker, topic, 0, "fathom-ingest", OfflineWriterConfig.DEFAULT_GROUP_ID);
            writeConfig(broker, redis, true);
            CliRun refused = backfill(config);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).contains("ingest is running: its group fathom-ingest has 1 member(s)");
        }

        CliRun backfilled = backfill(config);
        assertThat(backfilled.exit())
                .as("backfill: %s%s", backfilled.out(), backfilled.err())
                .isZero();
        assertThat(backfilled.out())
                .contains("backfilled " + newView + ": " + String.format("%,d", BEFORE) + " events of")
                .contains("online store: " + String.format("%,d", eventsByUser.size()) + " latest states written");

        FeatureDefinitions definitions = DefinitionsParser.parse(dir.resolve("fathom.yaml"));
        ViewDefinition view = definitions.view(newView).orElseThrow();
        assertAsKnownAtTrainingSet(definitions, view, now - hours(26), now - hours(2));

        try (FathomNode second = start(config)) {
            produce(broker, AFTER, now - hours(2), now - 60_000);
            awaitCaughtUp(broker, topic, 0, "fathom-ingest");
            // Unkeyed events reach the view through its re-keyed topic. That topic and the snapshots are written
            // in transactions: each ends with a commit marker, which a consumer that has read the last record may
            // not have stepped over yet.
            awaitCaughtUp(broker, "fathom-ingest." + newView + ".events", 1, "fathom-ingest");
            awaitCaughtUp(broker, view.snapshotTopic(), 1, "fathom-online-writer");
            long readAt = Instant.now().toEpochMilli();
            assertOnlineReads(definitions, view, redis, readAt);
        }
    }

    private record CliRun(int exit, String out, String err) {}

    private CliRun backfill(Path config) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new FathomCli())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute("backfill", "--view", newView, "--to-online", "--config", config.toString());
        return new CliRun(exit, out.toString(), err.toString());
    }

    private FathomNode start(Path config) {
        NodeConfig node = RunConfigLoader.load(config, Map.of()).toBuilder()
                .components(EnumSet.of(Component.INGEST, Component.ONLINE_WRITER, Component.OFFLINE_WRITER))
                .offlineRoll(Duration.ofSeconds(1))
                .build();
        return new FathomNode(node, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), a -> {});
    }

    /** The run configuration, and definitions with the old view (and, with {@code withNewView}, the new one). */
    private Path writeConfig(KafkaBroker broker, RedisServer redis, boolean withNewView) throws IOException {
        String features = "      - {name: amount_sum_1h, aggregation: sum, field: amount, window: 1h}\n"
                + "      - {name: amount_avg_1d, aggregation: mean, field: amount, window: 1d}\n"
                + "      - {name: amount_std_1d, aggregation: stddev, field: amount, window: 1d}\n"
                + "      - {name: txn_count_1d, aggregation: count, window: 1d}\n"
                + "      - {name: last_country, aggregation: last, field: country}\n";
        String definitions = "entities:\n  - {name: user, keys: [user_id]}\n"
                + "sources:\n  - {name: txns, topic: " + topic + ", format: json, timestamp: event_time}\n"
                + "views:\n"
                + view(oldView, "      - {name: txn_count_1h, aggregation: count, window: 1h}\n")
                + (withNewView ? view(newView, features) : "");
        Files.writeString(dir.resolve("fathom.yaml"), definitions);
        return RunConfigFile.write(
                dir.resolve("run.yaml"),
                "fathom.yaml",
                broker,
                PARTITIONS,
                redis,
                dir.resolve("data").toString());
    }

    private static String view(String name, String features) {
        return "  - name: " + name + "\n    entity: user\n    source: txns\n    granularity: 1m\n    ttl: 7d\n"
                + "    allowed_lateness: 2h\n    features:\n" + features;
    }

    /** Events of random users at random times in [from, to), produced in time order, unkeyed, to random partitions. */
    private void produce(KafkaBroker broker, int count, long from, long to) throws IOException {
        long[] times = random.longs(count, from, to).sorted().toArray();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long ts : times) {
            long user = random.nextInt(USERS);
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("user_id", user);
            fields.put("amount", random.nextInt(20) == 0 ? null : random.nextInt(100_000) / 100.0);
            fields.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
            fields.put("event_time", ts);
            eventsByUser
                    .computeIfAbsent(user, u -> new ArrayList<>())
                    .add(new BruteForce.Event(ts, sequence++, fields));
            records.add(new ProducerRecord<>(topic, random.nextInt(PARTITIONS), null, JSON.writeValueAsBytes(fields)));
        }
        try (TestProducer<byte[], byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
    }

    /** Until each group has committed the topic's end offsets, or {@code markers} before them. */
    private static void awaitCaughtUp(KafkaBroker broker, String topic, int markers, String... groups) {
        try (Admin admin = Admin.create(broker.kafka().adminProperties())) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, PARTITIONS).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            Map<Integer, Long> ends = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((p, info) -> ends.put(p.partition(), info.offset()));
            for (String group : groups) {
                await(group + " reads every event")
                        .atMost(Duration.ofMinutes(3))
                        .until(() -> {
                            Map<Integer, Long> committed = GroupOffsets.committed(admin, group, topic);
                            return ends.entrySet().stream()
                                    .allMatch(end -> end.getValue() == 0
                                            || committed.getOrDefault(end.getKey(), 0L) >= end.getValue() - markers);
                        });
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertAsKnownAtTrainingSet(FeatureDefinitions definitions, ViewDefinition view, long from, long to) {
        List<EntityRow> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            rows.add(new EntityRow(
                    Map.of("user_id", (long) random.nextInt(USERS)), random.nextLong(from, to + hours(1))));
        }
        List<TrainingRow> joined;
        try (PointInTimeJoin join = new PointInTimeJoin(
                definitions,
                OfflineStoreConfig.builder(dir.resolve("data").resolve("offline"))
                        .build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build())) {
            joined = join.join(rows, List.of(view.name() + ":*"), true);
        }
        List<String> mismatches = new ArrayList<>();
        int withValues = 0;
        for (int i = 0; i < rows.size(); i++) {
            EntityRow row = rows.get(i);
            long t = row.timestampMillis();
            List<BruteForce.Event> before =
                    eventsByUser.getOrDefault((Long) row.keys().get("user_id"), List.of()).stream()
                            .filter(e -> e.ts() <= t)
                            .toList();
            if (before.isEmpty()) {
                continue;
            }
            withValues++;
            Map<String, Object> expected = BruteForce.evaluate(view, before, t);
            for (FeatureDefinition feature : view.features()) {
                Object got = joined.get(i).features().get(view.name() + "__" + feature.name());
                if (!BruteForce.matches(feature, expected.get(feature.name()), got)) {
                    mismatches.add("row " + row + " " + feature.name() + ": expected " + expected.get(feature.name())
                            + ", got " + got);
                }
            }
        }
        assertThat(withValues).isGreaterThan(rows.size() / 2);
        assertThat(mismatches)
                .as("as-known-at training set against the brute force")
                .isEmpty();
    }

    private void assertOnlineReads(
            FeatureDefinitions definitions, ViewDefinition view, RedisServer redis, long readAt) {
        try (RedisOnlineStore store = RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(definitions))) {
            assertOnlineReads(
                    view,
                    new OnlineFeatureReader(
                            definitions, store, Clock.fixed(Instant.ofEpochMilli(readAt), ZoneOffset.UTC)),
                    readAt);
        }
    }

    private void assertOnlineReads(ViewDefinition view, OnlineFeatureReader reader, long readAt) {
        List<Object> users =
                eventsByUser.keySet().stream().sorted().map(u -> (Object) u).toList();
        List<String> features =
                view.features().stream().map(f -> view.name() + ":" + f.name()).toList();
        OnlineResult result = reader.read(features, Map.of("user_id", users));
        List<String> mismatches = new ArrayList<>();
        for (int row = 0; row < users.size(); row++) {
            Map<String, Object> expected = BruteForce.evaluate(view, eventsByUser.get((Long) users.get(row)), readAt);
            EntityResult entity = result.results().get(row);
            for (int i = 0; i < view.features().size(); i++) {
                FeatureDefinition feature = view.features().get(i);
                if (entity.statuses().get(i) != FeatureStatus.PRESENT
                        || !BruteForce.matches(
                                feature,
                                expected.get(feature.name()),
                                entity.values().get(i))) {
                    mismatches.add("user " + users.get(row) + " " + feature.name() + ": expected "
                            + expected.get(feature.name()) + ", got "
                            + entity.values().get(i) + " ("
                            + entity.statuses().get(i) + ")");
                }
            }
        }
        assertThat(users).hasSizeGreaterThan(USERS * 9 / 10);
        assertThat(mismatches).as("online reads against the brute force").isEmpty();
    }

    private static long hours(int n) {
        return Duration.ofHours(n).toMillis();
    }
}
