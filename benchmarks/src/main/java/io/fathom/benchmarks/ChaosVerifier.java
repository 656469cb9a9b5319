package io.fathom.benchmarks;

import io.fathom.kafka.AvroSerdes;
import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.KafkaSettings;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.FeatureSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The chaos run's verifier, as Kafka's {@code streams_eos_test} checks exactly-once: it reads the source topic back
 * (what was really produced, each event's sequence number in a header), recomputes from {@link ChaosEvents} what
 * every user's state must be, and compares with what Fathom holds:
 *
 * <ul>
 *   <li><b>online</b>: every user's count and sum, read from Redis, equal the recomputation; a count short is lost,
 *       a count over is duplicated;
 *   <li><b>snapshot topic</b> (committed records only): each user's snapshots carry the versions 1..n exactly once,
 *       n the user's good events (ingest makes one snapshot per event, exactly once);
 *   <li><b>offline store</b>: each user's Parquet rows hold the counts 1..n exactly once (the count of a 7-day
 *       window over events a few minutes old is the user's event number), no {@code (partition, offset)} twice, and
 *       the row with count n has the recomputed sum;
 *   <li><b>dead letters</b> (committed): exactly one per bad event of the input, with its reason; nothing else.
 * </ul>
 */
final class ChaosVerifier {
    /** What the verifier found; every count is zero on a correct run. */
    record Verdict(
            long inputEvents,
            long goodEvents,
            long badEvents,
            long inputDuplicated,
            long onlineLost,
            long onlineDuplicated,
            long onlineSumMismatch,
            long topicLost,
            long topicDuplicated,
            long offlineRows,
            long offlineLost,
            long offlineDuplicated,
            long offlineLastMismatch,
            long dlqMissing,
            long dlqExtra,
            long dlqWrongReason,
            List<String> examples) {
        long lost() {
            return onlineLost + topicLost + offlineLost;
        }

        long duplicated() {
            return onlineDuplicated + topicDuplicated + offlineDuplicated;
        }

        long dlqMismatch() {
            return dlqMissing + dlqExtra + dlqWrongReason;
        }

        long mismatches() {
            return lost() + duplicated() + dlqMismatch() + onlineSumMismatch + offlineLastMismatch;
        }
    }

    /** Where an input record was read: the dead letters point back at it. */
    private record Position(int partition, long offset) {}

    private final ChaosEvents events;
    private final KafkaSettings kafka;
    private final Path offlineRoot;
    private final Map<Position, Long> seqAt = new HashMap<>();
    private final Map<Long, Integer> copies = new HashMap<>();
    private final long[] expectedCount;
    private final long[] expectedSum;
    private long goodEvents;
    private long badEvents;
    private long inputDuplicated;

    /** Reads the source topic from the beginning to its end: the input to recompute from. */
    ChaosVerifier(ChaosEvents events, KafkaSettings kafka, Path offlineRoot) {
        this.events = events;
        this.kafka = kafka;
        this.offlineRoot = offlineRoot;
        this.expectedCount = new long[events.users()];
        this.expectedSum = new long[events.users()];
        readAll(ChaosEvents.TOPIC, new ByteArrayDeserializer(), record -> {
            Header header = record.headers().lastHeader(ChaosEvents.SEQ_HEADER);
            long seq = ByteBuffer.wrap(header.value()).getLong();
            seqAt.put(new Position(record.partition(), record.offset()), seq);
            if (copies.merge(seq, 1, Integer::sum) > 1) {
                inputDuplicated++;
            }
            ChaosEvents.Event event = events.event(seq);
            if (event.bad().isPresent()) {
                badEvents++;
            } else {
                goodEvents++;
                expectedCount[(int) event.user()]++;
                expectedSum[(int) event.user()] += event.amount();
            }
        });
    }

    /** The good events of the input: the snapshots ingest must have made. */
    long goodEvents() {
        return goodEvents;
    }

    /** Users whose online count or sum differ from the recomputation (for waiting until they catch up). */
    long onlineMismatches(OnlineFeatureReader reader) {
        long[][] online = readOnline(reader);
        long wrong = 0;
        for (int u = 0; u < expectedCount.length; u++) {
            if (online[0][u] != expectedCount[u] || online[1][u] != expectedSum[u]) {
                wrong++;
            }
        }
        return wrong;
    }

    /** The offline store's snapshot rows so far. */
    long offlineRowCount() {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duck.createStatement()) {
            if (!hasOfflineFiles()) {
                return 0;
            }
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM " + offlineFiles())) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the offline store at " + offlineRoot, e);
        }
    }

    Verdict verify(OnlineFeatureReader reader) {
        List<String> examples = new ArrayList<>();
        long[][] online = readOnline(reader);
        long onlineLost = 0;
        long onlineDuplicated = 0;
        long onlineSumMismatch = 0;
        for (int u = 0; u < expectedCount.length; u++) {
            long diff = online[0][u] - expectedCount[u];
            onlineLost += Math.max(0, -diff);
            onlineDuplicated += Math.max(0, diff);
            if (diff == 0 && online[1][u] != expectedSum[u]) {
                onlineSumMismatch++;
            }
            if ((diff != 0 || online[1][u] != expectedSum[u]) && examples.size() < 5) {
                examples.add("online user " + u + ": count " + online[0][u] + " sum " + online[1][u] + ", expected "
                        + expectedCount[u] + ", " + expectedSum[u]);
            }
        }

        Map<Long, List<Long>> versions = new HashMap<>();
        Deserializer<FeatureSnapshot> snapshots =
                AvroSerdes.<FeatureSnapshot>of(FeatureSnapshot.getClassSchema()).deserializer();
        readAll(ViewDefinition.snapshotTopicOf(ChaosEvents.VIEW), snapshots, record -> versions.computeIfAbsent(
                        Long.parseLong(record.value().getEntityKey()), u -> new ArrayList<>())
                .add(record.value().getVersion()));
        long[] topic = exactlyOnePerNumber(versions, "snapshot topic versions", examples);

        Map<Long, List<Long>> counts = new HashMap<>();
        Map<Long, long[]> last = new HashMap<>();
        long offlineRows = 0;
        long positionsTwice = 0;
        if (hasOfflineFiles()) {
            try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = duck.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT entity_key, " + ChaosEvents.COUNT + ", "
                            + ChaosEvents.SUM + " FROM " + offlineFiles())) {
                while (rs.next()) {
                    offlineRows++;
                    long user = Long.parseLong(rs.getString(1));
                    long count = rs.getLong(2);
                    long sum = Math.round(rs.getDouble(3));
                    counts.computeIfAbsent(user, u -> new ArrayList<>()).add(count);
                    last.merge(user, new long[] {count, sum}, (a, b) -> a[0] >= b[0] ? a : b);
                }
                try (Statement again = duck.createStatement();
                        ResultSet twice = again.executeQuery("SELECT count(*) - count(DISTINCT (kafka_partition,"
                                + " kafka_offset)) FROM " + offlineFiles())) {
                    twice.next();
                    positionsTwice = twice.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read the offline store at " + offlineRoot, e);
            }
        }
        long[] offline = exactlyOnePerNumber(counts, "offline counts", examples);
        long offlineLastMismatch = 0;
        for (int u = 0; u < expectedCount.length; u++) {
            long[] row = last.get((long) u);
            boolean right = expectedCount[u] == 0
                    ? row == null
                    : row != null && row[0] == expectedCount[u] && row[1] == expectedSum[u];
            if (!right) {
                offlineLastMismatch++;
                if (examples.size() < 15) {
                    examples.add("offline user " + u + ": last row "
                            + (row == null ? "none" : "count " + row[0] + " sum " + row[1]) + ", expected "
                            + expectedCount[u] + ", " + expectedSum[u]);
                }
            }
        }

        long[] dlq = deadLetters(examples);
        return new Verdict(
                seqAt.size(),
                goodEvents,
                badEvents,
                inputDuplicated,
                onlineLost,
                onlineDuplicated,
                onlineSumMismatch,
                topic[0],
                topic[1],
                offlineRows,
                offline[0],
                offline[1] + positionsTwice,
                offlineLastMismatch,
                dlq[0],
                dlq[1],
                dlq[2],
                List.copyOf(examples));
    }

    /**
     * Per user, the numbers found against 1..n (n the user's good events): {lost, duplicated}, where lost counts
     * the numbers of 1..n not found and duplicated every number found more than once or outside 1..n.
     */
    private long[] exactlyOnePerNumber(Map<Long, List<Long>> found, String what, List<String> examples) {
        long lost = 0;
        long duplicated = 0;
        for (int u = 0; u < expectedCount.length; u++) {
            long n = expectedCount[u];
            List<Long> numbers = found.getOrDefault((long) u, List.of());
            boolean[] seen = new boolean[(int) n + 1];
            long userLost = 0;
            long userDuplicated = 0;
            for (long number : numbers) {
                if (number < 1 || number > n || seen[(int) number]) {
                    userDuplicated++;
                } else {
                    seen[(int) number] = true;
                }
            }
            for (int i = 1; i <= n; i++) {
                if (!seen[i]) {
                    userLost++;
                }
            }
            if ((userLost > 0 || userDuplicated > 0) && examples.size() < 10) {
                examples.add(what + " of user " + u + ": " + userLost + " missing, " + userDuplicated
                        + " duplicated or out of range, of " + n);
            }
            lost += userLost;
            duplicated += userDuplicated;
        }
        return new long[] {lost, duplicated};
    }

    /** {missing, extra, wrong reason}: the dead letters against the bad events of the input. */
    private long[] deadLetters(List<String> examples) {
        Map<Position, String> expected = new HashMap<>();
        seqAt.forEach((position, seq) -> events.event(seq).bad().ifPresent(bad -> expected.put(position, bad.reason)));
        long[] result = new long[3];
        Map<Position, Integer> letters = new HashMap<>();
        readAll("fathom.dlq", new ByteArrayDeserializer(), record -> {
            Position position = new Position(
                    Integer.parseInt(header(record, DeadLetterHeaders.SOURCE_PARTITION)),
                    Long.parseLong(header(record, DeadLetterHeaders.SOURCE_OFFSET)));
            String reason = header(record, DeadLetterHeaders.REASON);
            String want = expected.get(position);
            if (want == null || letters.merge(position, 1, Integer::sum) > 1) {
                result[1]++;
                if (examples.size() < 20) {
                    examples.add("dead letter not expected: " + position + " " + reason + " ("
                            + header(record, DeadLetterHeaders.MESSAGE) + ")");
                }
            } else if (!want.equals(reason)) {
                result[2]++;
                if (examples.size() < 20) {
                    examples.add("dead letter " + position + ": reason " + reason + ", expected " + want + " ("
                            + header(record, DeadLetterHeaders.MESSAGE) + ")");
                }
            }
        });
        result[0] =
                expected.keySet().stream().filter(p -> !letters.containsKey(p)).count();
        return result;
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        return DeadLetterHeaders.read(record.headers(), name).orElse("none");
    }

    /** {counts, sums} per user, 0 where the store has nothing. */
    private long[][] readOnline(OnlineFeatureReader reader) {
        List<Object> users = new ArrayList<>();
        for (long u = 0; u < expectedCount.length; u++) {
            users.add(u);
        }
        OnlineResult result = reader.read(
                List.of(ChaosEvents.VIEW + ":" + ChaosEvents.COUNT, ChaosEvents.VIEW + ":" + ChaosEvents.SUM),
                Map.of("user_id", users));
        long[][] online = new long[2][expectedCount.length];
        for (int u = 0; u < expectedCount.length; u++) {
            List<Object> values = result.results().get(u).values();
            online[0][u] = values.get(0) instanceof Long count ? count : 0;
            online[1][u] = values.get(1) instanceof Double sum ? Math.round(sum) : 0;
        }
        return online;
    }

    private boolean hasOfflineFiles() {
        Path view = offlineRoot.resolve(ChaosEvents.VIEW);
        if (!Files.isDirectory(view)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(view)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".parquet")
                    && f.getParent().getFileName().toString().startsWith("date="));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String offlineFiles() {
        return "read_parquet('" + offlineRoot.resolve(ChaosEvents.VIEW)
                + "/date=*/*.parquet', hive_partitioning=false)";
    }

    /** Every committed record of a topic, from the beginning to the end offsets as of now. */
    private <V> void readAll(String topic, Deserializer<V> values, Consumer<ConsumerRecord<byte[], V>> each) {
        Map<String, Object> props = kafka.consumerProperties("chaos-verifier");
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end " + end);
                }
                for (ConsumerRecord<byte[], V> record : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(record);
                }
            }
        }
    }
}
