package io.fathom.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.http.HttpServer;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.online.FeatureStatus;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineResult;
import io.fathom.online.OnlineStore;
import io.fathom.online.RedisOnlineStore;
import io.fathom.online.StoredSnapshot;
import io.fathom.testkit.RedisServer;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Online read latency and throughput on a real Redis, beside raw Redis on the same keys in the same run.
 *
 * <p>Fills a {@code redis-server} (testkit) through {@link RedisOnlineStore#write} with N entities of a
 * 50-feature view ({@link WideView}), then, for batches of 1 and 100 entities × 50 features, runs closed
 * loops with 1 and 2 client threads of: {@link OnlineFeatureReader#read} (the Java API); {@code POST
 * /v1/features/online} on the app's {@link HttpServer} over the same reader (JDK HttpClient, HTTP/1.1
 * keep-alive); and the anchors — a raw Lettuce {@code MGET} of the same Redis keys with a byte-array codec,
 * one at a time and pipelined 16 deep, and {@code redis-benchmark} with the same {@code MGET} (-P 1 and
 * -P 16) when it is on the PATH. Prints p50/p99/p999 and rates, and the ratios to the targets in benchmarks/README.md:
 * p99 ≤ 1 ms (1 × 50), p99 ≤ 5 ms and entities/s ≥ 0.5 × raw pipelined Redis (100 × 50).
 *
 * <p>Usage: {@code OnlineReadBenchmark [entities=100000] [measured seconds=10] [warm-up seconds=3]}.
 */
public final class OnlineReadBenchmark {
    private static final int PIPELINE = 16;
    private static final List<Integer> THREADS = List.of(1, 2);

    private OnlineReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Duration warmUp = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 3);
        WideView view = new WideView();
        LoadRunner runner = new LoadRunner(warmUp, measured);
        Optional<RedisBenchmarkTool> tool = RedisBenchmarkTool.locate();
        Results results = new Results();

        try (RedisServer redis = RedisServer.startOnFreePort();
                RedisOnlineStore store =
                        RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(view.definitions()));
                RawLettuce lettuce = new RawLettuce(redis.uri())) {
            long filled = fill(store, view, entities);
            OnlineFeatureReader reader = new OnlineFeatureReader(view.definitions(), store, Clock.systemUTC());
            List<Long> sample = sample(entities, 100);
            Path offline = Files.createTempDirectory("fathom-bench-offline-");
            try (PointInTimeJoin join = new PointInTimeJoin(
                            view.definitions(),
                            OfflineStoreConfig.builder(offline.toUri().toString())
                                    .build(),
                            JoinOptions.builder().build());
                    HttpServer http = new HttpServer(
                            "127.0.0.1",
                            0,
                            reader,
                            join,
                            view.definitions(),
                            Map.of(),
                            () -> true,
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) {
                System.out.printf(
                        "online read benchmark: %,d entities of view %s (50 features) written in %.1f s, "
                                + "%s; warm-up %d s, then %d s per run; %d cores, load average %.1f at start%n",
                        entities,
                        WideView.VIEW,
                        filled / 1e9,
                        storedBytes(lettuce, sample),
                        warmUp.toSeconds(),
                        measured.toSeconds(),
                        Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                                .getSystemLoadAverage());
                System.out.println("  anchor: "
                        + tool.map(t -> "redis-benchmark (" + t.executable() + ") and ")
                                .orElse("redis-benchmark not on the PATH; ")
                        + "raw pipelined Lettuce MGET (byte-array codec)");
                for (int batch : List.of(1, 100)) {
                    List<Long> ids = sample.subList(0, batch);
                    check(reader.read(view.featureNames(), Map.of(WideView.KEY, new ArrayList<>(ids))), batch);
                    measureBatch(view, reader, http.port(), lettuce, redis.port(), tool, runner, ids, results);
                }
            }
        }
        results.print();
    }

    private static void measureBatch(
            WideView view,
            OnlineFeatureReader reader,
            int httpPort,
            RawLettuce lettuce,
            int redisPort,
            Optional<RedisBenchmarkTool> tool,
            LoadRunner runner,
            List<Long> ids,
            Results results)
            throws Exception {
        int batch = ids.size();
        List<String> features = view.featureNames();
        Map<String, List<Object>> entities = Map.of(WideView.KEY, new ArrayList<>(ids));
        byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("features", features, "entities", entities));
        List<String> keys = ids.stream().map(id -> redisKey(id)).toList();
        byte[][] rawKeys =
                keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

        Report.header(batch + " entit" + (batch == 1 ? "y" : "ies") + " x 50 features (one MGET of " + batch
                + " keys); latency per call, a pipelined call = " + PIPELINE + " MGETs");
        double bestJava = 0;
        double javaP99 = Double.NaN;
        double httpP99 = Double.NaN;
        double bestHttp = 0;
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> () -> reader.read(features, entities));
            Report.row("Fathom Java read, " + threads + " thread(s)", r.latencies(), r.operationsPerSecond(), batch);
            bestJava = Math.max(bestJava, r.operationsPerSecond() * batch);
            javaP99 = threads == 1 ? r.latencies().p99() : javaP99;
        }
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> httpCall(httpPort, body));
            Report.row("Fathom HTTP POST, " + threads + " thread(s)", r.latencies(), r.operationsPerSecond(), batch);
            httpP99 = threads == 1 ? r.latencies().p99() : httpP99;
            bestHttp = Math.max(bestHttp, r.operationsPerSecond() * batch);
        }
        double lettuceP99 = Double.NaN;
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> {
                StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect();
                return () -> RawLettuce.mget(connection, rawKeys);
            });
            Report.row("raw Lettuce MGET, " + threads + " conn", r.latencies(), r.operationsPerSecond(), batch);
            lettuceP99 = threads == 1 ? r.latencies().p99() : lettuceP99;
        }
        double bestLettucePipelined = 0;
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, PIPELINE, () -> {
                StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect();
                connection.setAutoFlushCommands(false);
                return () -> RawLettuce.pipelinedMget(connection, rawKeys, PIPELINE);
            });
            Report.row(
                    "raw Lettuce MGET -P " + PIPELINE + ", " + threads + " conn",
                    r.latencies(),
                    r.operationsPerSecond(),
                    batch);
            bestLettucePipelined = Math.max(bestLettucePipelined, r.operationsPerSecond() * batch);
        }
        double toolP99 = Double.NaN;
        double bestToolPipelined = 0;
        if (tool.isPresent()) {
            List<String> command = new ArrayList<>();
            command.add("MGET");
            command.addAll(keys);
            // About as many commands as the Lettuce runs make, so each run lasts a few seconds.
            int requests = batch == 1 ? 200_000 : 20_000;
            for (int pipeline : List.of(1, PIPELINE)) {
                for (int clients : THREADS) {
                    RedisBenchmarkTool.Result r = tool.get()
                            .run(redisPort, pipeline == 1 ? requests / 4 : requests, clients, pipeline, command);
                    Report.toolRow(
                            "redis-benchmark MGET -c " + clients + " -P " + pipeline,
                            r.p50(),
                            r.p99(),
                            r.commandsPerSecond(),
                            batch);
                    if (pipeline == 1 && clients == 1) {
                        toolP99 = r.p99();
                    }
                    if (pipeline == PIPELINE) {
                        bestToolPipelined = Math.max(bestToolPipelined, r.commandsPerSecond() * batch);
                    }
                }
            }
        }

        System.out.println("  -- against the targets (benchmarks/README.md)");
        double latencyTarget = batch == 1 ? 1.0 : 5.0;
        Report.target("Fathom Java read p99, 1 thread", javaP99, latencyTarget, "ms");
        Report.target("Fathom HTTP POST p99, 1 thread", httpP99, latencyTarget, "ms");
        if (tool.isPresent()) {
            Report.beside("Fathom Java read p99 beside redis-benchmark", javaP99, "-c 1 -P 1 p99", toolP99, "ms");
        }
        Report.beside("Fathom Java read p99 beside raw Lettuce MGET", javaP99, "1 conn p99", lettuceP99, "ms");
        String size = batch + "x50";
        results.put("online_java_" + size + "_p99_ms", javaP99);
        results.put("online_http_" + size + "_p99_ms", httpP99);
        results.put("online_java_" + size + "_entities_per_s", Math.round(bestJava));
        results.put("online_http_" + size + "_entities_per_s", Math.round(bestHttp));
        if (batch > 1) {
            // The anchor of the throughput target: redis-benchmark -P 16 when it ran, else Lettuce -P 16.
            double anchor = tool.isPresent() ? bestToolPipelined : bestLettucePipelined;
            results.put("online_redis_pipelined_keys_per_s", Math.round(anchor));
            results.put("online_java_vs_redis_ratio", bestJava / anchor);
            results.put("online_http_vs_redis_ratio", bestHttp / anchor);
            if (tool.isPresent()) {
                Report.ratio(
                        "Fathom Java entities/s (best) / redis-benchmark -P 16 keys/s (best)",
                        bestJava,
                        bestToolPipelined,
                        0.5);
            }
            Report.ratio(
                    "Fathom Java entities/s (best) / raw Lettuce -P 16 keys/s (best)",
                    bestJava,
                    bestLettucePipelined,
                    0.5);
        }
    }

    /** Writes the entities through the store in batches of 1 000, as the online writer would; returns nanos. */
    private static long fill(RedisOnlineStore store, WideView view, int entities) {
        long start = System.nanoTime();
        long now = System.currentTimeMillis();
        Random random = new Random(42);
        List<StoredSnapshot> batch = new ArrayList<>(1_000);
        for (long id = 0; id < entities; id++) {
            batch.add(view.snapshot(id, now, random));
            if (batch.size() == 1_000 || id == entities - 1) {
                store.write(batch);
                batch.clear();
            }
        }
        return System.nanoTime() - start;
    }

    private static List<Long> sample(int entities, int count) {
        Random random = new Random(7);
        Set<Long> ids = new LinkedHashSet<>();
        while (ids.size() < Math.min(count, entities)) {
            ids.add((long) random.nextInt(entities));
        }
        return List.copyOf(ids);
    }

    private static String redisKey(long id) {
        return "fathom:v1:" + WideView.VIEW + ":" + id;
    }

    private static String storedBytes(RawLettuce lettuce, List<Long> ids) {
        StatefulRedisConnection<byte[], byte[]> connection = lettuce.connect();
        long total = 0;
        for (long id : ids) {
            total += connection.sync().strlen(redisKey(id).getBytes(StandardCharsets.UTF_8));
        }
        return String.format("stored values average %,d bytes", total / ids.size());
    }

    /** Every requested entity must read as present, or the benchmark measures the wrong thing. */
    private static void check(OnlineResult result, int batch) {
        long present = result.results().stream()
                .flatMap(r -> r.statuses().stream())
                .filter(s -> s == FeatureStatus.PRESENT)
                .count();
        if (present != 50L * batch) {
            throw new IllegalStateException("expected " + 50 * batch + " present values, read " + present + ": "
                    + result.results().get(0));
        }
    }

    private static LoadRunner.Call httpCall(int port, byte[] body) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/features/online"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return () -> {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "HTTP " + response.statusCode() + ": " + new String(response.body(), StandardCharsets.UTF_8));
            }
        };
    }
}
