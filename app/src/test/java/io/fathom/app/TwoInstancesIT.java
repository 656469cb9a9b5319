package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.online.OnlineStore;
import io.fathom.online.RedisOnlineStore;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.FathomProcess;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.RedisExtension;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.TestProducer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scale-out as a deployment runs it: two packaged {@code fathom run --components ingest,online-writer} processes
 * (testkit's {@link FathomProcess}: the app jar and its {@code lib/}, as {@code ./fathom} runs them)
 * (each its own JVM and data directory) on one broker and one Redis split the source's partitions between them; one is
 * killed with SIGKILL in the middle of the stream and the other takes its partitions over. Every user's online count
 * and sum then equal the events produced for that user: nothing lost, nothing counted twice (exactly-once ingest, a
 * version-aware online write).
 */
@ExtendWith({KafkaExtension.class, RedisExtension.class})
class TwoInstancesIT {
    private static final Path WORK = Path.of("target", "two-instances-it").toAbsolutePath();
    private static final int PARTITIONS = 4;
    private static final int USERS = 2_000;
    private static final int BATCH = 15_000;
    private static final String VIEW = "two_clicks";
    private static final String SOURCE_TOPIC = "two-instances-clicks";
    private static final Duration CATCH_UP = Duration.ofMinutes(4);

    private final Random random = new Random(20261207);
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Long, Long> countByUser = new HashMap<>();
    private final Map<Long, Double> sumByUser = new HashMap<>();
    private final List<FathomProcess> processes = new ArrayList<>();

    @AfterEach
    void stopAll() {
        processes.forEach(FathomProcess::kill);
    }

    @Test
    void theSurvivorTakesOverTheKilledInstancesPartitionsAndNothingIsLostOrCountedTwice(
            KafkaBroker broker, RedisServer redis) throws Exception {
        FileUtils.deleteDirectory(WORK.toFile());
        Files.createDirectories(WORK);
        broker.createTopics(PARTITIONS, SOURCE_TOPIC);
        Path definitions = writeDefinitions();
        FathomProcess first = start("a", broker, redis);
        FathomProcess second = start("b", broker, redis);
        try (Admin admin = Admin.create(broker.kafka().adminProperties())) {
            awaitMembers(admin, "fathom-ingest", 2);
            awaitMembers(admin, "fathom-online-writer", 2);

            produce(broker, BATCH);
            try (RedisOnlineStore store =
                    RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(parse(definitions)))) {
                OnlineFeatureReader reader = new OnlineFeatureReader(parse(definitions), store, Clock.systemUTC());
                await("some of the first batch online")
                        .atMost(CATCH_UP)
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> presentUsers(reader) > USERS / 4);

                first.kill(); // SIGKILL: no clean shutdown, no commit, no leaving the group; waits until it is gone
                produce(broker, BATCH);
                awaitMembers(admin, "fathom-ingest", 1);
                awaitMembers(admin, "fathom-online-writer", 1);

                await("every user's online count and sum equal to the events produced")
                        .atMost(CATCH_UP)
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertEveryUserExact(reader));
                assertThat(second.isRunning())
                        .as("the survivor still runs: " + second.consoleText())
                        .isTrue();
            }
        }
    }

    private void assertEveryUserExact(OnlineFeatureReader reader) {
        List<Object> users = new ArrayList<>(countByUser.keySet());
        OnlineResult result =
                reader.read(List.of(VIEW + ":clicks_7d", VIEW + ":amount_sum_7d"), Map.of("user_id", users));
        int wrong = 0;
        String example = null;
        for (int i = 0; i < users.size(); i++) {
            Long user = (Long) users.get(i);
            List<Object> values = result.results().get(i).values();
            long expectedCount = countByUser.get(user);
            double expectedSum = sumByUser.get(user);
            boolean exact = values.get(0) instanceof Long count
                    && count == expectedCount
                    && values.get(1) instanceof Double sum
                    && Math.abs(sum - expectedSum) <= 1e-9 * Math.max(1, Math.abs(expectedSum));
            if (!exact) {
                wrong++;
                example = "user " + user + ": online " + values + ", expected [" + expectedCount + ", " + expectedSum
                        + "]";
            }
        }
        assertThat(wrong)
                .as("users whose online count or sum differ from the events produced (e.g. %s)", example)
                .isZero();
    }

    private long presentUsers(OnlineFeatureReader reader) {
        List<Object> users = new ArrayList<>(countByUser.keySet());
        return reader.read(List.of(VIEW + ":clicks_7d"), Map.of("user_id", users)).results().stream()
                .filter(r -> r.values().get(0) != null)
                .count();
    }

    /** Events of random users over the last 30 minutes, keyed by user id, as a producer keyed by its entity sends. */
    private void produce(KafkaBroker broker, int count) throws IOException {
        long now = System.currentTimeMillis();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long user = random.nextInt(USERS);
            double amount = random.nextInt(10_000) / 100.0;
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("user_id", user);
            fields.put("amount", amount);
            fields.put("event_time", now - random.nextInt(30 * 60_000));
            countByUser.merge(user, 1L, Long::sum);
            sumByUser.merge(user, amount, Double::sum);
            records.add(new ProducerRecord<>(
                    SOURCE_TOPIC,
                    Long.toString(user).getBytes(StandardCharsets.UTF_8),
                    json.writeValueAsBytes(fields)));
        }
        try (TestProducer<byte[], byte[]> producer = TestProducer.create(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(records);
        }
    }

    private static void awaitMembers(Admin admin, String group, int members) {
        await("group " + group + " has " + members + " member(s)")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions() // the group does not exist until its first member joins
                .until(() -> {
                    ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group))
                            .all()
                            .get()
                            .get(group);
                    return description.members().size() == members;
                });
    }

    /** A packaged {@code fathom run --components ingest,online-writer} process, its console in WORK. */
    private FathomProcess start(String name, KafkaBroker broker, RedisServer redis) throws IOException {
        Path config = RunConfigFile.write(
                WORK.resolve(name + ".yaml"),
                "fathom.yaml",
                broker,
                PARTITIONS,
                redis,
                WORK.resolve("data-" + name).toString());
        FathomProcess process =
                new FathomProcess(name, FathomProcess.repositoryRoot(), config, "ingest,online-writer", WORK);
        processes.add(process);
        process.start();
        return process;
    }

    private Path writeDefinitions() throws IOException {
        Path file = WORK.resolve("fathom.yaml");
        Files.writeString(
                file,
                "entities:\n  - {name: user, keys: [user_id]}\n"
                        + "sources:\n  - {name: clicks, topic: " + SOURCE_TOPIC
                        + ", format: json, timestamp: event_time}\n"
                        + "views:\n  - name: " + VIEW + "\n    entity: user\n    source: clicks\n    granularity: 1m\n"
                        + "    ttl: 7d\n    allowed_lateness: 2h\n    features:\n"
                        + "      - {name: clicks_7d, aggregation: count, window: 7d}\n"
                        + "      - {name: amount_sum_7d, aggregation: sum, field: amount, window: 7d}\n");
        return file;
    }

    private static FeatureDefinitions parse(Path definitions) {
        return DefinitionsParser.parse(definitions);
    }
}
