package io.fathom.benchmarks;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.Definitions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * The data of the event-time join benchmark: a source's events archived as the offline writer archives
 * them, entity rows, and a brute-force answer for a sample of the rows.
 *
 * <p><b>Events</b>: M events of N entities (every entity at least once) at random times over D days, with
 * {@code amount} (2 decimals, 5% null), {@code quantity} (1–9) and {@code merchant}. They "arrive" up to 2
 * seconds after their event time, so the archive is in arrival order, not event order. A producer keyed by
 * entity puts entity e in partition {@code e mod 4}; offsets count per partition in arrival order. The files
 * are those of the offline writer's contract (offline-store README, "The event history"):
 * {@code <root>/_events/<source>/date=YYYY-MM-DD/<topic>+<partition>+<start>+<end>.parquet}, one row per event in
 * offset order, a new file at every change of the event's UTC date and after 1M rows, columns {@code
 * _kafka_partition} int, {@code _kafka_offset} long, {@code _event_ts} timestamp-millis, then every field of the
 * source's Avro schema; ZSTD, dictionary, 32 MiB row groups, as the writer's.
 *
 * <p><b>Rows</b> ({@code row_id,user_id,event_timestamp}): 80% at random times from a day before the first
 * event to a day after the last; 10% exactly at an event's time (of that event's entity); 10% at an event's
 * time plus a window or the ttl plus a few milliseconds either side of the granularity's edges, where an
 * off-by-one in the window rule would show.
 *
 * <p><b>Brute force</b>: for the first rows, the features computed straight from DESIGN's rules over the
 * events in memory (no tiles, no SQL): the entity's events with time in {@code [floor((t - W) / g) * g, t]};
 * nulls when the entity's latest event at or before t is older than {@code t - ttl}, or there is none.
 */
final class EventTimeData {
    static final String VIEW = "bench_events";
    static final String SOURCE = "bench_transactions";
    static final String TOPIC = "bench-join-transactions";
    static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    /** Bumped when the generated data changes, so that data kept by {@code data=} is not reused. */
    static final int VERSION = 2;

    static final long G = Duration.ofMinutes(1).toMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long TTL = Duration.ofDays(2).toMillis();
    static final int PARTITIONS = 4;
    static final int ROLL_ROWS = 1_000_000;
    /**
     * How late an event may arrive after its event time. Late enough that the archive is not in event order;
     * short enough that the files are what a day of such a stream makes: around midnight a partition's
     * events alternate between two dates, and every change of date starts a file, so 5 minutes gave 11,404
     * files for 10M events over 30 days (mostly a few rows each), 2 seconds a few hundred.
     */
    private static final long MAX_DELAY = Duration.ofSeconds(2).toMillis();

    private static final int INDEX_BITS = 27;

    static final Schema EVENT = new Schema.Parser()
            .parse(
                    """
            {"type": "record", "name": "Transaction", "namespace": "io.fathom.bench", "fields": [
              {"name": "user_id", "type": "long"},
              {"name": "amount", "type": ["null", "double"], "default": null},
              {"name": "quantity", "type": "long"},
              {"name": "merchant", "type": "string"},
              {"name": "event_time", "type": "long"}]}
            """);

    /** The view's features, in definition order (its output columns), with what the SQL and the brute force compute. */
    enum Feature {
        COUNT_1H("count_1h", Aggregation.COUNT, null, HOUR),
        COUNT_1D("count_1d", Aggregation.COUNT, null, DAY),
        AMOUNT_SUM_1H("amount_sum_1h", Aggregation.SUM, "amount", HOUR),
        AMOUNT_SUM_1D("amount_sum_1d", Aggregation.SUM, "amount", DAY),
        AMOUNT_MEAN_1H("amount_mean_1h", Aggregation.MEAN, "amount", HOUR),
        AMOUNT_MEAN_1D("amount_mean_1d", Aggregation.MEAN, "amount", DAY),
        AMOUNT_MIN_1D("amount_min_1d", Aggregation.MIN, "amount", DAY),
        AMOUNT_MAX_1D("amount_max_1d", Aggregation.MAX, "amount", DAY),
        AMOUNT_STDDEV_1D("amount_stddev_1d", Aggregation.STDDEV, "amount", DAY),
        QUANTITY_SUM_1D("quantity_sum_1d", Aggregation.SUM, "quantity", DAY);

        final String column;
        final Aggregation aggregation;
        final String field;
        final long window;

        Feature(String column, Aggregation aggregation, String field, long window) {
            this.column = column;
            this.aggregation = aggregation;
            this.field = field;
            this.window = window;
        }

        String outputColumn() {
            return VIEW + "__" + column;
        }
    }

    /**
     * One view of 10 windowed features over 1h and 1d (count, sum, mean, min, max, stddev; granularity 1m, ttl
     * 2d): ingest's benchmark view with its approximate {@code count_distinct} (an HLL sketch, which no SQL
     * reproduces exactly) replaced by a sum of {@code quantity}.
     */
    static FeatureDefinitions definitions() {
        Definitions.ViewBuilder view = Definitions.view(VIEW)
                .source(SOURCE)
                .granularity(Duration.ofMillis(G))
                .ttl(Duration.ofMillis(TTL));
        for (Feature feature : Feature.values()) {
            view.feature(feature.column, feature.aggregation, feature.field, Duration.ofMillis(feature.window));
        }
        return Definitions.builder()
                .entity("user", "user_id")
                .source(SOURCE, TOPIC, EventFormat.AVRO, EVENT, "event_time")
                .view(view)
                .build();
    }

    final int entities;
    final long span;
    final long[] ts;
    final int[] user;
    /** NaN for a null amount. */
    final double[] amount;

    final byte[] quantity;
    final short[] merchant;
    /** Event indexes in arrival order. */
    final int[] arrival;

    private EventTimeData(int events, int entities, int days) {
        if (events >= 1 << INDEX_BITS) {
            throw new IllegalArgumentException("at most 2^" + INDEX_BITS + " events");
        }
        if (events < entities) {
            throw new IllegalArgumentException("fewer events (" + events + ") than entities (" + entities + ")");
        }
        this.entities = entities;
        this.span = Duration.ofDays(days).toMillis();
        if (span + MAX_DELAY >= 1L << (63 - INDEX_BITS)) {
            throw new IllegalArgumentException("too many days: " + days);
        }
        Random random = new Random(44);
        ts = new long[events];
        user = new int[events];
        amount = new double[events];
        quantity = new byte[events];
        merchant = new short[events];
        long[] arrivals = new long[events];
        for (int i = 0; i < events; i++) {
            user[i] = i < entities ? i : random.nextInt(entities);
            ts[i] = T0 + Math.floorMod(random.nextLong(), span);
            amount[i] = random.nextInt(20) == 0 ? Double.NaN : random.nextInt(50_000) / 100.0;
            quantity[i] = (byte) (1 + random.nextInt(9));
            merchant[i] = (short) random.nextInt(500);
            long arrives = ts[i] - T0 + (long) random.nextInt((int) MAX_DELAY);
            arrivals[i] = (arrives << INDEX_BITS) | i;
        }
        Arrays.sort(arrivals);
        arrival = new int[events];
        for (int i = 0; i < events; i++) {
            arrival[i] = (int) (arrivals[i] & ((1L << INDEX_BITS) - 1));
        }
    }

    /** The events of the benchmark, generated the same way from fixed seeds on every call. */
    static EventTimeData generate(int events, int entities, int days) {
        return new EventTimeData(events, entities, days);
    }

    int events() {
        return ts.length;
    }

    /** The Avro schema of the archive's rows (offline-store's {@code EventSchema} of the source). */
    static Schema archiveSchema() {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field("_kafka_partition", Schema.create(Schema.Type.INT)));
        fields.add(new Schema.Field("_kafka_offset", Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(
                "_event_ts", LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))));
        for (Schema.Field field : EVENT.getFields()) {
            fields.add(new Schema.Field(field, field.schema()));
        }
        Schema record = Schema.createRecord("events_" + SOURCE, "Events of " + SOURCE, "io.fathom.offline", false);
        record.setFields(fields);
        return record;
    }

    /** Writes the archive under {@code root}, partitions in parallel; returns the number of files. */
    int writeArchive(Path root) throws Exception {
        int[][] byPartition = new int[PARTITIONS][];
        int[] counts = new int[PARTITIONS];
        for (int i : arrival) {
            counts[user[i] % PARTITIONS]++;
        }
        for (int p = 0; p < PARTITIONS; p++) {
            byPartition[p] = new int[counts[p]];
            counts[p] = 0;
        }
        for (int i : arrival) {
            int p = user[i] % PARTITIONS;
            byPartition[p][counts[p]++] = i;
        }
        Schema schema = archiveSchema();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> files = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                files.add(pool.submit(() -> writePartition(root, schema, partition, byPartition[partition])));
            }
            int total = 0;
            for (Future<Integer> f : files) {
                total += f.get();
            }
            return total;
        } finally {
            pool.shutdownNow();
        }
    }

    private int writePartition(Path root, Schema schema, int partition, int[] events) throws IOException {
        int files = 0;
        int start = 0;
        while (start < events.length) {
            LocalDate date = date(ts[events[start]]);
            int end = start;
            while (end < events.length
                    && end - start < ROLL_ROWS
                    && date(ts[events[end]]).equals(date)) {
                end++;
            }
            writeFile(root, schema, partition, events, start, end, date);
            files++;
            start = end;
        }
        return files;
    }

    private void writeFile(Path root, Schema schema, int partition, int[] events, int start, int end, LocalDate date)
            throws IOException {
        // Offsets are positions in the partition: the file holds offsets [start, end - 1].
        Path dir = root.resolve("_events").resolve(SOURCE).resolve("date=" + date);
        Files.createDirectories(dir);
        Path file = dir.resolve(TOPIC + "+" + partition + "+" + start + "+" + (end - 1) + ".parquet");
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration())
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize(32L << 20)
                .withPageSize(1 << 20)
                .withDictionaryEncoding(true)
                .build()) {
            for (int k = start; k < end; k++) {
                int i = events[k];
                GenericData.Record row = new GenericData.Record(schema);
                row.put(0, partition);
                row.put(1, (long) k);
                row.put(2, ts[i]);
                row.put(3, (long) user[i]);
                row.put(4, Double.isNaN(amount[i]) ? null : amount[i]);
                row.put(5, (long) quantity[i]);
                row.put(6, "m" + merchant[i]);
                row.put(7, ts[i]);
                writer.write(row);
            }
        }
    }

    private static LocalDate date(long millis) {
        return LocalDate.ofEpochDay(Math.floorDiv(millis, DAY));
    }

    /** The entity rows: user and time of each, in row_id order. */
    record Rows(int[] user, long[] t) {
        int size() {
            return t.length;
        }
    }

    Rows rows(int count) {
        Random random = new Random(45);
        int[] users = new int[count];
        long[] times = new long[count];
        long[] edges = {HOUR, DAY, TTL};
        long[] nudges = {-1, 0, 1, G - 1, G, G + 1, -G};
        for (int r = 0; r < count; r++) {
            int kind = random.nextInt(10);
            if (kind <= 1) {
                int i = random.nextInt(events());
                users[r] = user[i];
                times[r] = kind == 0
                        ? ts[i]
                        : ts[i] + edges[random.nextInt(edges.length)] + nudges[random.nextInt(nudges.length)];
            } else {
                users[r] = random.nextInt(entities);
                times[r] = T0 - DAY + Math.floorMod(random.nextLong(), span + 2 * DAY);
            }
        }
        return new Rows(users, times);
    }

    static void writeRows(Path file, Rows rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("row_id,user_id,event_timestamp\n");
            for (int r = 0; r < rows.size(); r++) {
                out.write(Integer.toString(r));
                out.write(',');
                out.write(Integer.toString(rows.user()[r]));
                out.write(',');
                out.write(Long.toString(rows.t()[r]));
                out.write('\n');
            }
        }
    }

    /**
     * DESIGN's rules, by brute force, for rows {@code [0, sample)}: per row, the values of {@link Feature} in
     * order (null for null), or null for a row that gets nulls (no event within ttl).
     */
    Object[][] bruteForce(Rows rows, int sample) {
        int n = Math.min(sample, rows.size());
        boolean[] wanted = new boolean[entities];
        for (int r = 0; r < n; r++) {
            wanted[rows.user()[r]] = true;
        }
        List<List<Integer>> eventsOf = new ArrayList<>(entities);
        for (int e = 0; e < entities; e++) {
            eventsOf.add(wanted[e] ? new ArrayList<>() : null);
        }
        for (int i = 0; i < events(); i++) {
            if (wanted[user[i]]) {
                eventsOf.get(user[i]).add(i);
            }
        }
        Object[][] expected = new Object[n][];
        for (int r = 0; r < n; r++) {
            expected[r] = bruteForceRow(eventsOf.get(rows.user()[r]), rows.t()[r]);
        }
        return expected;
    }

    private Object[] bruteForceRow(List<Integer> events, long t) {
        long latest = Long.MIN_VALUE;
        for (int i : events) {
            if (ts[i] <= t) {
                latest = Math.max(latest, ts[i]);
            }
        }
        if (latest == Long.MIN_VALUE || latest < t - TTL) {
            return null;
        }
        Feature[] features = Feature.values();
        Object[] values = new Object[features.length];
        for (int f = 0; f < features.length; f++) {
            Feature feature = features[f];
            long start = Math.floorDiv(t - feature.window, G) * G;
            long count = 0;
            List<Double> xs = new ArrayList<>();
            for (int i : events) {
                if (ts[i] < start || ts[i] > t) {
                    continue;
                }
                count++;
                double x = "quantity".equals(feature.field) ? quantity[i] : amount[i];
                if (!Double.isNaN(x)) {
                    xs.add(x);
                }
            }
            values[f] = switch (feature.aggregation) {
                case COUNT -> count;
                case SUM -> xs.stream().mapToDouble(d -> d).sum();
                case MEAN -> xs.isEmpty()
                        ? null
                        : xs.stream().mapToDouble(d -> d).sum() / xs.size();
                case MIN -> xs.stream().mapToDouble(d -> d).min().stream()
                        .boxed()
                        .findFirst()
                        .orElse(null);
                case MAX -> xs.stream().mapToDouble(d -> d).max().stream()
                        .boxed()
                        .findFirst()
                        .orElse(null);
                case STDDEV -> xs.size() < 2 ? null : stddev(xs);
                default -> throw new IllegalStateException("not in the benchmark: " + feature.aggregation);
            };
        }
        return values;
    }

    /** Sample standard deviation, two passes. */
    private static double stddev(List<Double> xs) {
        double mean = xs.stream().mapToDouble(d -> d).sum() / xs.size();
        double m2 = 0;
        for (double x : xs) {
            m2 += (x - mean) * (x - mean);
        }
        return Math.sqrt(m2 / (xs.size() - 1));
    }
}
