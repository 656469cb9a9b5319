package io.fathom.benchmarks;

import io.fathom.core.EntityKey;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.kafka.Worker;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.OfflineWriter;
import io.fathom.offline.OfflineWriterConfig;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.ProgressListener;
import io.fathom.offline.TrainingSetRequest;
import io.fathom.offline.TrainingSetResult;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import io.fathom.testkit.KafkaBroker;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Point-in-time join against DuckDB's {@code ASOF LEFT JOIN} on the same Parquet files (DESIGN: join ≤ 1.5×
 * DuckDB's time, same rows out).
 *
 * <p>Snapshots of a view of {@code last} features without windows — so the stored value columns are what
 * the join evaluates at any t, the only kind of feature DuckDB can join from stored columns — are built by
 * core's {@link TileAggregator} (one event per snapshot, unique event times per entity, so no ties),
 * produced to the view's snapshot topic on an in-JVM broker and written to Parquet by the real
 * {@link OfflineWriter} (the public way to write offline-store files). Entity rows are a CSV of random
 * entities and times over the same range. Both sides read the same CSV and the same Parquet files and
 * write Parquet; the ttl (10 years) never cuts. Both outputs are then read by DuckDB and compared by a
 * checksum: row count, non-null count per column, and a sum of hashes of (entity, t, values).
 */
public final class JoinBenchmark {
    static final String VIEW = "bench_join";
    static final String TOPIC = ViewDefinition.snapshotTopicOf(VIEW);
    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final List<String> FEATURES = List.of("last_amount", "last_quantity", "last_merchant");
    static final Schema EVENT = new Schema.Parser()
            .parse(
                    """
            {"type": "record", "name": "Purchase", "namespace": "io.fathom.bench", "fields": [
              {"name": "user_id", "type": "long"},
              {"name": "amount", "type": ["null", "double"], "default": null},
              {"name": "quantity", "type": "long"},
              {"name": "merchant", "type": "string"},
              {"name": "event_time", "type": "long"}]}
            """);

    private JoinBenchmark() {}

    public static void main(String[] args) throws Exception {
        int snapshots = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int days = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        int runs = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int warmups = args.length > 5 ? Integer.parseInt(args[5]) : 1;
        int threads = 2;
        Path dir = Files.createTempDirectory("fathom-join-bench-");
        Path root = dir.resolve("offline");
        FeatureDefinitions definitions = definitions();

        long start = System.nanoTime();
        long written;
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            broker.createTopics(2, TOPIC);
            long produced = produce(broker, definitions, snapshots, entities, days);
            double produceS = seconds(start);
            long writeStart = System.nanoTime();
            written = writeFiles(broker, definitions, root, produced);
            System.out.printf(
                    "snapshots: %,d produced in %.1f s, written by OfflineWriter in %.1f s (%,.0f rows/s)%n",
                    produced, produceS, seconds(writeStart), written / seconds(writeStart));
        }
        Path rowsCsv = dir.resolve("rows.csv");
        writeRows(rowsCsv, rows, entities, days);
        long parquetBytes = size(root);
        System.out.printf(
                "join benchmark: %,d snapshots of %,d entities over %d days (%d files, %.1f MB), %,d entity rows (CSV),"
                        + " %d last features, %d threads, heap %d MB%n",
                written,
                entities,
                days,
                count(root),
                parquetBytes / 1e6,
                rows,
                FEATURES.size(),
                threads,
                Runtime.getRuntime().maxMemory() >> 20);

        Path fathomOut = dir.resolve("fathom.parquet");
        Path duckOut = dir.resolve("duckdb.parquet");
        JoinOptions options = new JoinOptions(
                threads,
                4 * threads,
                Runtime.getRuntime().maxMemory() / 4,
                Files.createDirectories(dir.resolve("spill")));
        List<Double> fathomTimes = new ArrayList<>();
        List<Double> duckTimes = new ArrayList<>();
        try (PointInTimeJoin join = new PointInTimeJoin(
                        definitions, OfflineStoreConfig.builder(root).build(), options);
                Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = duck.createStatement()) {
                st.execute("SET threads=" + threads);
                st.execute("SET TimeZone='UTC'");
            }
            for (int run = 0; run < warmups + runs; run++) {
                boolean measured = run >= warmups;
                Files.deleteIfExists(fathomOut);
                long t = System.nanoTime();
                TrainingSetResult result = join.write(
                        TrainingSetRequest.of(rowsCsv, List.of(VIEW + ":*"), fathomOut)
                                .withAsKnownAt(true),
                        ProgressListener.NONE);
                double fathomS = seconds(t);
                if (result.rows() != rows) {
                    throw new IllegalStateException("Fathom wrote " + result.rows() + " rows, expected " + rows);
                }
                Files.deleteIfExists(duckOut);
                t = System.nanoTime();
                try (Statement st = duck.createStatement()) {
                    st.execute(duckJoin(root, rowsCsv, duckOut));
                }
                double duckS = seconds(t);
                System.out.printf(
                        "  %s %d: Fathom %.2f s (snapshots used %,d, spilled %.0f MB), DuckDB %.2f s%n",
                        measured ? "run" : "warm-up",
                        measured ? run - warmups + 1 : run + 1,
                        fathomS,
                        result.snapshotsUsed(),
                        result.spilledBytes() / 1e6,
                        duckS);
                if (measured) {
                    fathomTimes.add(fathomS);
                    duckTimes.add(duckS);
                }
            }
            List<Long> fathomSum = checksum(duck, fathomOut);
            List<Long> duckSum = checksum(duck, duckOut);
            double fathomBest = fathomTimes.stream().mapToDouble(d -> d).min().orElseThrow();
            double duckBest = duckTimes.stream().mapToDouble(d -> d).min().orElseThrow();
            String how =
                    warmups > 0 ? "best of " + runs + " after " + warmups + " warm-up" : runs + " run(s), no warm-up";
            System.out.printf("point-in-time join, %,d rows x %,d snapshots (%s):%n", rows, written, how);
            System.out.printf("  Fathom PointInTimeJoin.write:   %.2f s%n", fathomBest);
            System.out.printf("  DuckDB ASOF LEFT JOIN (anchor): %.2f s%n", duckBest);
            System.out.printf("  ratio Fathom / DuckDB:          %.2f (target <= 1.5)%n", fathomBest / duckBest);
            System.out.printf("  checksum Fathom: %s%n", fathomSum);
            System.out.printf("  checksum DuckDB: %s%n", duckSum);
            boolean equal = fathomSum.equals(duckSum);
            System.out.printf("  same rows out: %s%n", equal ? "yes" : "NO");
            if (!equal) {
                differences(duck, fathomOut, duckOut);
            }
        } finally {
            delete(dir);
        }
    }

    /** A view of three {@code last} features without windows, over an Avro source, ttl 10 years. */
    static FeatureDefinitions definitions() {
        return Definitions.builder()
                .entity("user", "user_id")
                .source("purchases", "purchases", EventFormat.AVRO, EVENT, "event_time")
                .view(Definitions.view(VIEW)
                        .source("purchases")
                        .ttl(Duration.ofDays(3650))
                        .last("last_amount", "amount")
                        .last("last_quantity", "quantity")
                        .last("last_merchant", "merchant"))
                .build();
    }

    /**
     * Random (entity, time) pairs over the range, unique per entity, in time order; each becomes one event
     * folded into the entity's state and one snapshot of it, produced to the snapshot topic keyed by entity.
     */
    private static long produce(
            KafkaBroker broker, FeatureDefinitions definitions, int snapshots, int entities, int days)
            throws Exception {
        if (entities >= 1 << 24) {
            throw new IllegalArgumentException("at most 2^24 entities");
        }
        Random random = new Random(42);
        long span = Duration.ofDays(days).toMillis();
        long[] pairs = new long[snapshots];
        for (int i = 0; i < snapshots; i++) {
            long entity = i < entities ? i : random.nextInt(entities);
            pairs[i] = (Math.floorMod(random.nextLong(), span) << 24) | entity;
        }
        Arrays.sort(pairs);
        ViewDefinition view = definitions.views().get(0);
        EntityDefinition entity = definitions.entityOf(view);
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
        AvroCodec<FeatureSnapshot> codec = AvroCodec.of(FeatureSnapshot.getClassSchema());
        EntityState[] states = new EntityState[entities];
        String[] keys = new String[entities];
        Map<String, Object> props = new HashMap<>(broker.kafka().producerProperties());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicReference<Exception> failure = new AtomicReference<>();
        long produced = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < snapshots; i++) {
                if (i > 0 && pairs[i] == pairs[i - 1]) {
                    continue; // the same entity twice at the same millisecond: keep event times unique
                }
                int e = (int) (pairs[i] & ((1 << 24) - 1));
                long ts = T0 + (pairs[i] >>> 24);
                if (states[e] == null) {
                    states[e] = aggregator.newState();
                    keys[e] = EntityKey.of(entity, Map.of("user_id", (long) e)).encoded();
                }
                Map<String, Object> fields = new HashMap<>();
                fields.put("user_id", (long) e);
                fields.put("amount", random.nextInt(20) == 0 ? null : Math.round(random.nextDouble() * 50_000) / 100.0);
                fields.put("quantity", (long) (1 + random.nextInt(9)));
                fields.put("merchant", "m" + random.nextInt(500));
                fields.put("event_time", ts);
                aggregator.add(states[e], ts, fields);
                FeatureSnapshot snapshot = new FeatureSnapshot(
                        VIEW,
                        keys[e],
                        ts,
                        ts, // created as it happened: the as-known-at rule then picks what ASOF on event_ts picks
                        states[e],
                        aggregator.evaluate(states[e], ts),
                        0L);
                producer.send(new ProducerRecord<>(TOPIC, keys[e], codec.encode(snapshot)), (m, ex) -> {
                    if (ex != null) {
                        failure.compareAndSet(null, ex);
                    }
                });
                produced++;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return produced;
    }

    /** Runs the offline writer until it has written every produced snapshot, then commits and stops it. */
    private static long writeFiles(KafkaBroker broker, FeatureDefinitions definitions, Path root, long expected)
            throws InterruptedException {
        OfflineWriterConfig config = OfflineWriterConfig.builder()
                .kafka(broker.kafka())
                .store(OfflineStoreConfig.builder(root).build())
                .groupId("join-bench")
                .rollRows(10_000_000)
                .rollBytes(1L << 30)
                .rollInterval(Duration.ofMinutes(30))
                .pollTimeout(Duration.ofMillis(100))
                .build();
        long rows;
        try (OfflineWriter writer = new OfflineWriter(definitions, config, Clock.systemUTC())) {
            while ((rows = writer.rowsWritten()) < expected) {
                if (writer.state() != Worker.State.RUNNING) {
                    throw new IllegalStateException("offline writer stopped: " + writer + " " + writer.failure());
                }
                Thread.sleep(50);
            }
        }
        return rows;
    }

    /** {@code user_id,event_timestamp} (epoch millis): random entities and times over the snapshots' range. */
    private static void writeRows(Path file, int rows, int entities, int days) throws IOException {
        Random random = new Random(43);
        long span = Duration.ofDays(days).toMillis();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("user_id,event_timestamp\n");
            for (int i = 0; i < rows; i++) {
                out.write(Integer.toString(random.nextInt(entities)));
                out.write(',');
                out.write(Long.toString(T0 + Math.floorMod(random.nextLong(), span)));
                out.write('\n');
            }
        }
    }

    /**
     * The anchor: the as-known-at rule (greatest event_ts <= t, no ties by construction, created_ts = event_ts) as one
     * ASOF LEFT JOIN.
     */
    static String duckJoin(Path root, Path rowsCsv, Path out) {
        StringBuilder select = new StringBuilder("r.user_id, r.event_timestamp");
        for (String feature : FEATURES) {
            select.append(", s.")
                    .append(feature)
                    .append(" AS ")
                    .append(VIEW)
                    .append("__")
                    .append(feature);
        }
        return "COPY (SELECT " + select
                + " FROM (SELECT user_id, event_timestamp, epoch_ms(event_timestamp)::TIMESTAMPTZ AS t"
                + " FROM read_csv('" + rowsCsv
                + "', header = true, columns = {'user_id': 'VARCHAR', 'event_timestamp': 'BIGINT'})) r"
                + " ASOF LEFT JOIN read_parquet('" + root.resolve(VIEW) + "/*/*.parquet', hive_partitioning = true) s"
                + " ON r.user_id = s.entity_key AND s.event_ts <= r.t) TO '" + out + "' (FORMAT parquet)";
    }

    /** Row count, non-null count per feature column, and the sum of hashes of (entity, t, values). */
    static List<Long> checksum(Connection duck, Path file) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT count(*)");
        for (String feature : FEATURES) {
            sql.append(", count(").append(VIEW).append("__").append(feature).append(")");
        }
        sql.append(", CAST(sum(hash(").append(rowTuple()).append(")::HUGEINT) % 9223372036854775807 AS BIGINT)");
        sql.append(" FROM read_parquet('").append(file).append("')");
        List<Long> result = new ArrayList<>();
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql.toString())) {
            rs.next();
            for (int i = 1; i <= FEATURES.size() + 2; i++) {
                result.add(rs.getLong(i));
            }
        }
        return result;
    }

    private static String rowTuple() {
        StringBuilder tuple = new StringBuilder("CAST(user_id AS VARCHAR), CAST(event_timestamp AS BIGINT)");
        for (String feature : FEATURES) {
            tuple.append(", CAST(").append(VIEW).append("__").append(feature).append(" AS VARCHAR)");
        }
        return tuple.toString();
    }

    private static void differences(Connection duck, Path a, Path b) throws SQLException {
        String sql = "SELECT count(*) FROM (SELECT " + rowTuple() + " FROM read_parquet('" + a + "') EXCEPT ALL SELECT "
                + rowTuple() + " FROM read_parquet('" + b + "'))";
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            System.out.printf("  rows of Fathom's output not in DuckDB's: %,d%n", rs.getLong(1));
        }
        String sample = "SELECT * FROM (SELECT " + rowTuple() + " FROM read_parquet('" + a + "') EXCEPT ALL SELECT "
                + rowTuple() + " FROM read_parquet('" + b + "')) LIMIT 5";
        try (Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery(sample)) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder("    ");
                for (int i = 1; i <= FEATURES.size() + 2; i++) {
                    row.append(rs.getString(i)).append(' ');
                }
                System.out.println(row);
            }
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static long size(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    private static long count(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".parquet")).count();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted((x, y) -> y.compareTo(x)).forEach(p -> p.toFile().delete());
        }
    }
}
