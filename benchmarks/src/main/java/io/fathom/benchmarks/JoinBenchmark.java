package io.fathom.benchmarks;

import io.fathom.core.EntityKey;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.kafka.Worker;
import io.fathom.offline.Backfill;
import io.fathom.offline.BackfillRequest;
import io.fathom.offline.BackfillResult;
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
import java.lang.management.ManagementFactory;
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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The point-in-time joins against DuckDB on the same Parquet files, in one run (DESIGN: each join ≤ 1.5×
 * DuckDB's time, same rows out; issue 10, part 6). Both parts print their times, the ratio and whether every
 * value agreed, then {@code result} lines ({@link Results}).
 *
 * <p><b>Event time</b> ({@link EventTimeData}): M events of a source archived as the offline writer archives
 * them, and N entity rows; Fathom's {@link PointInTimeJoin#write} in event time (the default) evaluates a view
 * of 10 windowed features at each row's t from the archive, DuckDB computes the same values with window
 * functions over the union of events and rows ({@link #duckEventTime}). Every row and feature of the two
 * outputs is compared (doubles within a relative {@value #TOLERANCE}; nulls must match), and a sample of rows
 * against a brute force of DESIGN's rules.
 *
 * <p><b>As known at t</b>: snapshots of a view of {@code last} features without windows — so the stored value
 * columns are what the join evaluates at any t, the only kind of feature DuckDB can join from stored columns —
 * are built by core's {@link TileAggregator} (one event per snapshot, unique event times per entity, so no
 * ties), produced to the view's snapshot topic on an in-JVM broker and written to Parquet by the real {@link
 * OfflineWriter} (the public way to write offline-store files). Entity rows are a CSV of random entities and
 * times over the same range. Fathom's as-known-at join against DuckDB's {@code ASOF LEFT JOIN}, both reading
 * the same CSV and Parquet files and writing Parquet; the ttl (10 years) never cuts. Both outputs are then read
 * by DuckDB and compared by a checksum: row count, non-null count per column, and a sum of hashes of (entity,
 * t, values).
 *
 * <p>Arguments are {@code key=value}: {@code rows} (1M, both parts), {@code events} (10M), {@code snapshots}
 * (1M), {@code entities} (100k), {@code days} (30), {@code runs} (2), {@code warmups} (1), {@code only}
 * ({@code event-time} or {@code as-known-at}), {@code check} (rows checked against the brute force, 2000),
 * {@code data} (a directory to keep the generated data in and reuse on the next run with the same sizes;
 * default a temporary directory, deleted).
 */
public final class JoinBenchmark {
    static final String VIEW = "bench_join";
    static final String TOPIC = ViewDefinition.snapshotTopicOf(VIEW);
    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final List<String> FEATURES = List.of("last_amount", "last_quantity", "last_merchant");
    /**
     * Doubles of the two event-time outputs agree when {@code |a - b| <= TOLERANCE * max(1, |a|, |b|)}. Fathom
     * merges per-tile partial sums and Welford moments with Chan et al.'s formula, DuckDB its own segment-tree
     * partial aggregates: the same values summed in another order. With at most a few hundred values of at most
     * 500 (2 decimals) in a window, the rounding of either order is within {@code n * 2^-53} relative of the
     * exact sum, about 1e-13: 1e-9 leaves four orders of magnitude of room and still catches any value that
     * differs by one event (at least 0.01 in a sum, 1/n of a count).
     */
    static final double TOLERANCE = 1e-9;

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

    /** The sizes and switches of a run. */
    record Options(
            int rows,
            int events,
            int snapshots,
            int entities,
            int days,
            int runs,
            int warmups,
            String only,
            int check,
            Path data) {
        static Options parse(String[] args) {
            Map<String, String> given = new HashMap<>();
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("arguments are key=value, got \"" + arg + "\"");
                }
                given.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            Options options = new Options(
                    integer(given, "rows", 1_000_000),
                    integer(given, "events", 10_000_000),
                    integer(given, "snapshots", 1_000_000),
                    integer(given, "entities", 100_000),
                    integer(given, "days", 30),
                    integer(given, "runs", 2),
                    integer(given, "warmups", 1),
                    given.remove("only"),
                    integer(given, "check", 2_000),
                    Optional.ofNullable(given.remove("data")).map(Path::of).orElse(null));
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown arguments " + given.keySet()
                        + "; known: rows, events, snapshots, entities, days, runs, warmups, only, check, data");
            }
            if (options.only != null && !List.of("event-time", "as-known-at").contains(options.only)) {
                throw new IllegalArgumentException("only= takes event-time or as-known-at, got " + options.only);
            }
            if (options.runs < 1) {
                throw new IllegalArgumentException("runs must be at least 1");
            }
            return options;
        }

        private static int integer(Map<String, String> given, String key, int otherwise) {
            String value = given.remove(key);
            return value == null ? otherwise : Integer.parseInt(value.replace("_", ""));
        }

        boolean eventTime() {
            return only == null || only.equals("event-time");
        }

        boolean asKnownAt() {
            return only == null || only.equals("as-known-at");
        }
    }

    /** The measured runs of one comparison. */
    private record Timing(double fathomBest, double duckBest, String how) {
        double ratio() {
            return fathomBest / duckBest;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = options.data() != null
                ? Files.createDirectories(options.data())
                : Files.createTempDirectory("fathom-join-bench-");
        Results results = new Results();
        boolean same = true;
        System.out.printf(
                "join benchmark: %d cores, heap %d MB, load average %.2f at start; DuckDB threads=%d%n",
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                THREADS);
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement st = duck.createStatement()) {
                st.execute("SET threads=" + THREADS);
                st.execute("SET TimeZone='UTC'");
            }
            if (options.eventTime()) {
                same &= eventTime(options, dir, duck, results);
            }
            if (options.asKnownAt()) {
                same &= asKnownAt(options, dir, duck, results);
            }
        } finally {
            if (options.data() == null) {
                delete(dir);
            }
        }
        results.put("join_same_rows", same ? 1 : 0);
        results.print();
    }

    /** DuckDB's threads and Fathom's (the join's default: one per core). */
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    private static JoinOptions joinOptions(Path dir) throws IOException {
        return JoinOptions.builder()
                .spillDirectory(Files.createDirectories(dir.resolve("spill")))
                .build();
    }

    /**
     * Runs Fathom then DuckDB, {@code warmups + runs} times, and keeps the best measured time of each. {@code
     * fathom} returns a note on its run (items used, spill).
     */
    /**
     * One timed run of Fathom's join: writes the request's output afresh, checks its row count and returns what the
     * run's line says of it (items used, spill, the time of each stage).
     */
    private static String fathomJoin(PointInTimeJoin join, TrainingSetRequest request, long rows, String items)
            throws IOException {
        Files.deleteIfExists(request.output());
        StageTimes stages = new StageTimes();
        TrainingSetResult result = join.write(request, stages);
        if (result.rows() != rows) {
            throw new IllegalStateException("Fathom wrote " + result.rows() + " rows, expected " + rows);
        }
        return String.format(
                "%s used %,d, spilled %.0f MB; %s", items, result.snapshotsUsed(), result.spilledBytes() / 1e6, stages);
    }

    /** One timed run of DuckDB's statement, writing {@code out} afresh. */
    private static Void duckJoin(Connection duck, String sql, Path out) throws IOException, SQLException {
        Files.deleteIfExists(out);
        try (Statement st = duck.createStatement()) {
            st.execute(sql);
        }
        return null;
    }

    private static Timing time(Options options, Callable<String> fathom, Callable<Void> duckdb) throws Exception {
        List<Double> fathomTimes = new ArrayList<>();
        List<Double> duckTimes = new ArrayList<>();
        for (int run = 0; run < options.warmups() + options.runs(); run++) {
            boolean measured = run >= options.warmups();
            long t = System.nanoTime();
            String note = fathom.call();
            double fathomS = seconds(t);
            t = System.nanoTime();
            duckdb.call();
            double duckS = seconds(t);
            System.out.printf(
                    "  %s %d: Fathom %.2f s (%s), DuckDB %.2f s; load average %.2f%n",
                    measured ? "run" : "warm-up",
                    measured ? run - options.warmups() + 1 : run + 1,
                    fathomS,
                    note,
                    duckS,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (measured) {
                fathomTimes.add(fathomS);
                duckTimes.add(duckS);
            }
        }
        String how = options.warmups() > 0
                ? "best of " + options.runs() + " after " + options.warmups() + " warm-up"
                : options.runs() + " run(s), no warm-up";
        return new Timing(
                fathomTimes.stream().mapToDouble(d -> d).min().orElseThrow(),
                duckTimes.stream().mapToDouble(d -> d).min().orElseThrow(),
                how);
    }

    // Event time ---------------------------------------------------------------------------------------

    private static boolean eventTime(Options options, Path dir, Connection duck, Results results) throws Exception {
        Path data = dir.resolve(String.format(
                "event-time-v%d-%d-%d-%d-%d",
                EventTimeData.VERSION, options.events(), options.entities(), options.days(), options.rows()));
        Path root = data.resolve("offline");
        Path rowsCsv = data.resolve("rows.csv");
        Path complete = data.resolve("complete");
        long start = System.nanoTime();
        EventTimeData events = EventTimeData.generate(options.events(), options.entities(), options.days());
        EventTimeData.Rows rows = events.rows(options.rows());
        boolean reused = Files.exists(complete);
        if (!reused) {
            if (Files.exists(data)) {
                delete(data);
            }
            Files.createDirectories(root);
            events.writeArchive(root);
            EventTimeData.writeRows(rowsCsv, rows);
            Files.writeString(complete, "");
        }
        Object[][] expected = events.bruteForce(rows, options.check());
        int[] checkedUsers = Arrays.copyOf(rows.user(), expected.length);
        long[] checkedTimes = Arrays.copyOf(rows.t(), expected.length);
        double setup = seconds(start);
        events = null; // let the generated arrays go before the timed runs
        rows = null;
        System.gc();
        Path archive = root.resolve("_events").resolve(EventTimeData.SOURCE);
        System.out.printf(
                "%nevent-time training set: %,d rows over %,d events of %,d entities over %d days (%d files, %.1f MB;"
                        + " %s in %.1f s), view %s: 10 windowed features (1h, 1d; granularity 1m, ttl 2d)%n",
                options.rows(),
                options.events(),
                options.entities(),
                options.days(),
                count(archive),
                size(archive) / 1e6,
                reused ? "reused, generated again in memory" : "generated and written",
                setup,
                EventTimeData.VIEW);

        Path fathomOut = data.resolve("fathom.parquet");
        Path duckOut = data.resolve("duckdb.parquet");
        Timing timing;
        try (PointInTimeJoin join = new PointInTimeJoin(
                EventTimeData.definitions(), OfflineStoreConfig.builder(root).build(), joinOptions(data))) {
            timing = time(
                    options,
                    () -> fathomJoin(
                            join,
                            TrainingSetRequest.of(rowsCsv, List.of(EventTimeData.VIEW + ":*"), fathomOut),
                            options.rows(),
                            "events"),
                    () -> duckJoin(duck, duckEventTime(root, rowsCsv, duckOut), duckOut));
        }
        System.out.printf(
                "event-time training set, %,d rows over %,d events (%s):%n",
                options.rows(), options.events(), timing.how());
        System.out.printf("  Fathom PointInTimeJoin.write (event time): %.2f s%n", timing.fathomBest());
        System.out.printf("  DuckDB window functions (anchor):          %.2f s%n", timing.duckBest());
        System.out.printf("  ratio Fathom / DuckDB:                     %.2f (target <= 1.5)%n", timing.ratio());
        long differences = EventTimeCheck.compare(duck, fathomOut, duckOut);
        long bruteFathom =
                EventTimeCheck.againstBruteForce(duck, fathomOut, "Fathom", expected, checkedUsers, checkedTimes);
        long bruteDuck =
                EventTimeCheck.againstBruteForce(duck, duckOut, "DuckDB", expected, checkedUsers, checkedTimes);
        boolean same = differences == 0 && bruteFathom == 0 && bruteDuck == 0;
        System.out.printf("  same rows out: %s%n", same ? "yes" : "NO");
        results.put("join_event_time_rows", options.rows());
        results.put("join_event_time_events", options.events());
        results.put("join_event_time_seconds", timing.fathomBest());
        results.put("join_event_time_duckdb_seconds", timing.duckBest());
        results.put("join_event_time_vs_duckdb_ratio", timing.ratio());
        results.put("join_event_time_values_differing", differences);
        results.put("join_event_time_brute_force_rows_differing", bruteFathom + bruteDuck);
        backfill(options, data, root, results);
        return same;
    }

    /**
     * The backfill of the same view from the same archive ({@code fathom backfill}): every event aggregated in
     * event-time order per entity, a snapshot written per event, the latest states counted; its rate beside
     * ingest's (the ingest benchmark, one event = one snapshot there too).
     */
    private static void backfill(Options options, Path data, Path root, Results results) throws IOException {
        java.util.concurrent.atomic.LongAdder latest = new java.util.concurrent.atomic.LongAdder();
        BackfillResult result;
        try (Backfill backfill = new Backfill(
                EventTimeData.definitions(),
                OfflineStoreConfig.builder(root).build(),
                joinOptions(data),
                java.time.Clock.systemUTC())) {
            result = backfill.run(
                    BackfillRequest.builder(EventTimeData.VIEW).build(),
                    ProgressListener.NONE,
                    (key, state) -> latest.increment());
        }
        double seconds = result.elapsed().toNanos() / 1e9;
        System.out.printf(
                "%nbackfill of %s from the same archive: %,d events of %,d entities, %,d snapshots in %,d files,"
                        + " in %.2f s: %,.0f events/s; load average %.2f%n",
                EventTimeData.VIEW,
                result.events(),
                latest.sum(),
                result.snapshots(),
                result.snapshotFiles(),
                seconds,
                result.events() / seconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (result.events() != options.events() || latest.sum() != options.entities()) {
            throw new IllegalStateException("the backfill aggregated " + result.events() + " events of " + latest.sum()
                    + " entities, expected " + options.events() + " of " + options.entities());
        }
        results.put("backfill_events_per_s", result.events() / seconds);
        results.put("backfill_seconds", seconds);
    }

    /**
     * The anchor of the event-time join: DESIGN's rules in SQL. Events and rows go into one timeline per entity,
     * ordered by time in milliseconds; for a row at t, a window W covers the events with time in {@code
     * [floor((t - W) / g) * g, t]}, which is the frame {@code RANGE BETWEEN W + (t - W) % g PRECEDING AND CURRENT
     * ROW} (a frame's offset may depend on the row in DuckDB; {@code %} is the floor modulo for the positive
     * times here; CURRENT ROW in RANGE mode takes every peer, so events at exactly t count). Rows contribute no
     * values (their event columns are null), so each aggregate sees only the events. A row whose latest event at
     * or before t is older than {@code t - ttl} (or that has none) gets nulls; otherwise an empty window gives a
     * count and a sum of 0, and nulls for the rest.
     */
    static String duckEventTime(Path root, Path rowsCsv, Path out) {
        StringBuilder windows = new StringBuilder();
        StringBuilder select = new StringBuilder();
        for (EventTimeData.Feature feature : EventTimeData.Feature.values()) {
            String frame = "w" + feature.window;
            String value =
                    switch (feature.aggregation) {
                        case COUNT -> "count(is_event) OVER " + frame;
                        case SUM -> "coalesce(sum(" + feature.field + ") OVER " + frame + ", 0.0)";
                        case MEAN -> "avg(" + feature.field + ") OVER " + frame;
                        case MIN -> "min(" + feature.field + ") OVER " + frame;
                        case MAX -> "max(" + feature.field + ") OVER " + frame;
                        case STDDEV -> "stddev_samp(" + feature.field + ") OVER " + frame;
                        default -> throw new IllegalStateException("not in the benchmark: " + feature.aggregation);
                    };
            windows.append(", ").append(value).append(" AS ").append(feature.column);
            select.append(", CASE WHEN latest >= ms - ")
                    .append(EventTimeData.TTL)
                    .append(" THEN ")
                    .append(feature.column)
                    .append(" END AS ")
                    .append(feature.outputColumn());
        }
        StringBuilder named = new StringBuilder();
        for (long window : Arrays.stream(EventTimeData.Feature.values())
                .mapToLong(f -> f.window)
                .distinct()
                .toArray()) {
            named.append(named.length() == 0 ? " WINDOW " : ", ")
                    .append("w")
                    .append(window)
                    .append(" AS (PARTITION BY user_id ORDER BY ms RANGE BETWEEN ")
                    .append(window)
                    .append(" + (ms - ")
                    .append(window)
                    .append(") % ")
                    .append(EventTimeData.G)
                    .append(" PRECEDING AND CURRENT ROW)");
        }
        return "COPY (WITH timeline AS ("
                + "SELECT user_id, epoch_ms(_event_ts) AS ms, amount, CAST(quantity AS DOUBLE) AS quantity,"
                + " 1 AS is_event, NULL::BIGINT AS row_id"
                + " FROM read_parquet('" + root.resolve("_events").resolve(EventTimeData.SOURCE) + "/*/*.parquet')"
                + " UNION ALL SELECT user_id, event_timestamp, NULL, NULL, NULL, row_id FROM read_csv('" + rowsCsv
                + "', header = true, columns = {'row_id': 'BIGINT', 'user_id': 'BIGINT', 'event_timestamp': 'BIGINT'})"
                + "), windowed AS (SELECT row_id, user_id, ms,"
                + " max(CASE WHEN is_event = 1 THEN ms END) OVER (PARTITION BY user_id ORDER BY ms"
                + " RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS latest"
                + windows + " FROM timeline" + named + ")"
                + " SELECT row_id, user_id, ms AS event_timestamp" + select
                + " FROM windowed WHERE row_id IS NOT NULL) TO '" + out + "' (FORMAT parquet)";
    }

    // As known at t -----------------------------------------------------------------------------------

    private static boolean asKnownAt(Options options, Path dir, Connection duck, Results results) throws Exception {
        int snapshots = options.snapshots();
        int entities = options.entities();
        int rows = options.rows();
        int days = options.days();
        Path data = dir.resolve(String.format("as-known-at-%d-%d-%d-%d", snapshots, entities, days, rows));
        Path root = data.resolve("offline");
        Path rowsCsv = data.resolve("rows.csv");
        Path complete = data.resolve("complete");
        FeatureDefinitions definitions = definitions();

        long written;
        if (Files.exists(complete)) {
            written = Long.parseLong(Files.readString(complete).trim());
            System.out.printf("%nsnapshots: %,d reused from %s%n", written, data);
        } else {
            if (Files.exists(data)) {
                delete(data);
            }
            Files.createDirectories(data);
            long start = System.nanoTime();
            try (KafkaBroker broker = KafkaBroker.startInJvm()) {
                broker.createTopics(2, TOPIC);
                long produced = produce(broker, definitions, snapshots, entities, days);
                double produceS = seconds(start);
                long writeStart = System.nanoTime();
                written = writeFiles(broker, definitions, root, produced);
                System.out.printf(
                        "%nsnapshots: %,d produced in %.1f s, written by OfflineWriter in %.1f s (%,.0f rows/s)%n",
                        produced, produceS, seconds(writeStart), written / seconds(writeStart));
            }
            writeRows(rowsCsv, rows, entities, days);
            Files.writeString(complete, Long.toString(written));
        }
        long parquetBytes = size(root);
        System.out.printf(
                "as-known-at join: %,d snapshots of %,d entities over %d days (%d files, %.1f MB), %,d entity rows (CSV),"
                        + " %d last features%n",
                written, entities, days, count(root), parquetBytes / 1e6, rows, FEATURES.size());

        Path fathomOut = data.resolve("fathom.parquet");
        Path duckOut = data.resolve("duckdb.parquet");
        Timing timing;
        try (PointInTimeJoin join = new PointInTimeJoin(
                definitions, OfflineStoreConfig.builder(root).build(), joinOptions(data))) {
            timing = time(
                    options,
                    () -> fathomJoin(
                            join,
                            TrainingSetRequest.of(rowsCsv, List.of(VIEW + ":*"), fathomOut)
                                    .withAsKnownAt(true),
                            rows,
                            "snapshots"),
                    () -> duckJoin(duck, duckJoin(root, rowsCsv, duckOut), duckOut));
        }
        List<Long> fathomSum = checksum(duck, fathomOut);
        List<Long> duckSum = checksum(duck, duckOut);
        System.out.printf("as-known-at join, %,d rows x %,d snapshots (%s):%n", rows, written, timing.how());
        System.out.printf("  Fathom PointInTimeJoin.write (as known at): %.2f s%n", timing.fathomBest());
        System.out.printf("  DuckDB ASOF LEFT JOIN (anchor):             %.2f s%n", timing.duckBest());
        System.out.printf("  ratio Fathom / DuckDB:                      %.2f (target <= 1.5)%n", timing.ratio());
        System.out.printf("  checksum Fathom: %s%n", fathomSum);
        System.out.printf("  checksum DuckDB: %s%n", duckSum);
        boolean equal = fathomSum.equals(duckSum);
        System.out.printf("  same rows out: %s%n", equal ? "yes" : "NO");
        if (!equal) {
            differences(duck, fathomOut, duckOut);
        }
        results.put("join_as_known_at_rows", rows);
        results.put("join_as_known_at_snapshots", written);
        results.put("join_as_known_at_seconds", timing.fathomBest());
        results.put("join_as_known_at_duckdb_seconds", timing.duckBest());
        results.put("join_as_known_at_vs_duckdb_ratio", timing.ratio());
        return equal;
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
