package io.fathom.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
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
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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
 * /v1/features/online} on the app's {@link HttpServer} over the same reader, from two clients: a plain
 * HTTP/1.1 keep-alive socket client ({@link KeepAliveHttpClient}: one blocking socket per thread, what {@code
 * redis-benchmark} is to Redis) and the JDK {@code HttpClient} (HTTP/1.1 keep-alive, which hands every request
 * to its selector and worker threads); and the anchors — a raw Lettuce {@code MGET} of the same Redis keys with
 * a byte-array codec, one at a time and pipelined 16 deep, and {@code redis-benchmark} with the same {@code MGET}
 * (-P 1 and -P 16) when it is on the PATH. Prints p50/p99/p999 and rates, and the ratios to DESIGN's targets: HTTP
 * p99 ≤ 1 ms (1 × 50), p99 ≤ 5 ms (100 × 50) and HTTP entities/s ≥ 0.3 × raw pipelined Redis keys/s (100 × 50),
 * then the figures as {@code result <name> <number>} lines, last.
 *
 * <p>For 100 entities the socket client also runs with 4 threads, printed beside the throughput target's figure
 * (best of 1 and 2 threads), not in it: the anchor keeps 16 requests in flight per connection.
 *
 * <p>The HTTP targets are read from the socket client: the JDK client's own thread hand-offs, in the same JVM
 * on the same two cores, cost more than the server's work for one entity (its rows are printed beside).
 *
 * <p>Usage: {@code OnlineReadBenchmark [entities=100000] [measured seconds=10] [warm-up seconds=3]}.
 */
public final class OnlineReadBenchmark {
    private static final int PIPELINE = 16;
    private static final List<Integer> THREADS = List.of(1, 2);
    /** HTTP clients of the 100-entity run printed beside the target's figure (best of {@link #THREADS}). */
    private static final int HTTP_CLIENTS_BESIDE = 4;
    /** DESIGN.md: HTTP entities/s for 100-entity reads ≥ 0.3 × raw pipelined Redis keys/s. */
    private static final double THROUGHPUT_TARGET = 0.3;

    /** The figures printed last as {@code result <name> <number>}, in the order they were measured. */
    private static final Results RESULTS = new Results();

    private OnlineReadBenchmark() {}

    public static void main(String[] args) throws Exception {
        int entities = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Duration measured = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 10);
        Duration warmUp = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 3);
        WideView view = new WideView();
        LoadRunner runner = new LoadRunner(warmUp, measured);
        Optional<RedisBenchmarkTool> tool = RedisBenchmarkTool.locate();

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
                                + "%s; warm-up %d s, then %d s per run; %d cores, load average %s at start%n",
                        entities,
                        WideView.VIEW,
                        filled / 1e9,
                        storedBytes(lettuce, sample),
                        warmUp.toSeconds(),
                        measured.toSeconds(),
                        Runtime.getRuntime().availableProcessors(),
                        loadAverages());
                System.out.println("  anchor: "
                        + tool.map(t -> "redis-benchmark (" + t.executable() + ") and ")
                                .orElse("redis-benchmark not on the PATH; ")
                        + "raw pipelined Lettuce MGET (byte-array codec)");
                for (int batch : List.of(1, 100)) {
                    List<Long> ids = sample.subList(0, batch);
                    check(reader.read(view.featureNames(), Map.of(WideView.KEY, new ArrayList<>(ids))), batch);
                    measureBatch(view, reader, http.port(), lettuce, redis.port(), tool, runner, ids);
                }
            }
        }
        System.out.println();
        System.out.println("load average at the end: " + loadAverages());
        printResults();
    }

    private static void measureBatch(
            WideView view,
            OnlineFeatureReader reader,
            int httpPort,
            RawLettuce lettuce,
            int redisPort,
            Optional<RedisBenchmarkTool> tool,
            LoadRunner runner,
            List<Long> ids)
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
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> () -> reader.read(features, entities));
            Report.row("Fathom Java read, " + threads + " thread(s)", r.latencies(), r.operationsPerSecond(), batch);
            bestJava = Math.max(bestJava, r.operationsPerSecond() * batch);
            javaP99 = threads == 1 ? r.latencies().p99() : javaP99;
        }
        checkHttp(httpPort, body, batch);
        double bestHttp = 0;
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> KeepAliveHttpClient.call(httpPort, body));
            Report.row(
                    "Fathom HTTP POST, socket client, " + threads + " thr",
                    r.latencies(),
                    r.operationsPerSecond(),
                    batch);
            httpP99 = threads == 1 ? r.latencies().p99() : httpP99;
            bestHttp = Math.max(bestHttp, r.operationsPerSecond() * batch);
        }
        // Beside the target's figure, not in it: HTTP with as many requests in flight as four clients keep, since the
        // anchor keeps 16 per connection (-P 16) and two HTTP clients leave the cores idle while they wait.
        double http4Clients = Double.NaN;
        if (batch > 1) {
            LoadRunner.Result r = runner.run(HTTP_CLIENTS_BESIDE, 1, () -> KeepAliveHttpClient.call(httpPort, body));
            Report.row(
                    "Fathom HTTP POST, socket client, " + HTTP_CLIENTS_BESIDE + " thr",
                    r.latencies(),
                    r.operationsPerSecond(),
                    batch);
            http4Clients = r.operationsPerSecond() * batch;
        }
        double jdkClientP99 = Double.NaN;
        double bestJdkClient = 0;
        for (int threads : THREADS) {
            LoadRunner.Result r = runner.run(threads, 1, () -> httpCall(httpPort, body));
            Report.row(
                    "Fathom HTTP POST, JDK HttpClient, " + threads + " thr",
                    r.latencies(),
                    r.operationsPerSecond(),
                    batch);
            jdkClientP99 = threads == 1 ? r.latencies().p99() : jdkClientP99;
            bestJdkClient = Math.max(bestJdkClient, r.operationsPerSecond() * batch);
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

        System.out.println("  -- against the targets (DESIGN.md, benchmarks/README.md)");
        double latencyTarget = batch == 1 ? 1.0 : 5.0;
        Report.target("Fathom HTTP POST p99, socket client, 1 thread", httpP99, latencyTarget, "ms");
        Report.target("Fathom HTTP POST p99, JDK HttpClient, 1 thread", jdkClientP99, latencyTarget, "ms");
        Report.target("Fathom Java read p99, 1 thread", javaP99, latencyTarget, "ms");
        if (tool.isPresent()) {
            Report.beside("Fathom Java read p99 beside redis-benchmark", javaP99, "-c 1 -P 1 p99", toolP99, "ms");
        }
        Report.beside("Fathom Java read p99 beside raw Lettuce MGET", javaP99, "1 conn p99", lettuceP99, "ms");
        String size = batch + "x50";
        result("online_http_" + size + "_p99_ms", httpP99);
        result("online_http_jdk_client_" + size + "_p99_ms", jdkClientP99);
        result("online_java_" + size + "_p99_ms", javaP99);
        result("online_http_" + size + "_entities_per_s", Math.round(bestHttp));
        result("online_http_jdk_client_" + size + "_entities_per_s", Math.round(bestJdkClient));
        result("online_java_" + size + "_entities_per_s", Math.round(bestJava));
        result("online_redis_benchmark_" + size + "_p99_ms", toolP99);
        result("online_lettuce_mget_" + size + "_p99_ms", lettuceP99);
        if (batch > 1) {
            // The anchor of the throughput target: redis-benchmark -P 16 when it ran, else Lettuce -P 16.
            double anchor = tool.isPresent() ? bestToolPipelined : bestLettucePipelined;
            String anchorName = tool.isPresent() ? "redis-benchmark -P 16" : "raw Lettuce -P 16";
            Report.ratio(
                    "Fathom HTTP entities/s (best) / " + anchorName + " keys/s (best)",
                    bestHttp,
                    anchor,
                    THROUGHPUT_TARGET);
            Report.ratio(
                    "  beside: HTTP, " + HTTP_CLIENTS_BESIDE + " clients / " + anchorName + " keys/s (best)",
                    http4Clients,
                    anchor,
                    THROUGHPUT_TARGET);
            Report.ratio(
                    "Fathom Java entities/s (best) / " + anchorName + " keys/s (best)",
                    bestJava,
                    anchor,
                    THROUGHPUT_TARGET);
            Report.ratio(
                    "Fathom Java entities/s (best) / raw Lettuce -P 16 keys/s (best)",
                    bestJava,
                    bestLettucePipelined,
                    THROUGHPUT_TARGET);
            result("online_redis_pipelined_keys_per_s", Math.round(anchor));
            result("online_lettuce_pipelined_keys_per_s", Math.round(bestLettucePipelined));
            result("online_http_vs_redis_ratio", bestHttp / anchor);
            result("online_java_vs_redis_ratio", bestJava / anchor);
            result(
                    "online_http_" + size + "_" + HTTP_CLIENTS_BESIDE + "_clients_entities_per_s",
                    Math.round(http4Clients));
            result("online_http_" + HTTP_CLIENTS_BESIDE + "_clients_vs_redis_ratio", http4Clients / anchor);
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

    /** One HTTP read through the socket client, parsed: it must answer 200 with 50 PRESENT values per entity. */
    private static void checkHttp(int port, byte[] body, int batch) throws IOException {
        try (KeepAliveHttpClient client = new KeepAliveHttpClient(port)) {
            JsonNode answer = new ObjectMapper().readTree(client.post(body));
            int present = 0;
            for (JsonNode row : answer.get("results")) {
                for (JsonNode status : row.get("statuses")) {
                    present += status.asText().equals("PRESENT") ? 1 : 0;
                }
            }
            if (present != 50 * batch) {
                throw new IllegalStateException("HTTP: expected " + 50 * batch + " present values, read " + present);
            }
        }
    }

    private static void result(String name, double value) {
        RESULTS.put(name, value);
    }

    /** The figures as {@code result <name> <number>} lines, last (see {@link Results}). */
    private static void printResults() {
        RESULTS.print();
    }

    /** The 1, 5 and 15 minute load averages, as {@code uptime} prints them (Linux), else the 1-minute one. */
    private static String loadAverages() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return String.format(
                    Locale.ROOT,
                    "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage());
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

    /**
     * A minimal HTTP/1.1 client for {@code POST /v1/features/online}: one blocking socket (TCP_NODELAY), kept alive,
     * the request written in one call, the answer read on the calling thread (status line, headers, then {@code
     * Content-Length} bytes or the chunks). No thread of its own and nothing parsed beyond the framing: what a
     * load tool such as {@code wrk} or {@code redis-benchmark} does, so the figures are the server's.
     */
    static final class KeepAliveHttpClient implements AutoCloseable {
        private static final String PATH = "/v1/features/online";

        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private byte[] body = new byte[1 << 16];

        KeepAliveHttpClient(int port) throws IOException {
            this.socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }

        /** A call for {@link LoadRunner}: a client of its own per thread, each call one POST of {@code body}. */
        static LoadRunner.Call call(int port, byte[] body) throws IOException {
            KeepAliveHttpClient client = new KeepAliveHttpClient(port);
            byte[] request = request(port, body);
            return () -> client.exchange(request);
        }

        /** POSTs {@code json} and returns the answer's body. */
        byte[] post(byte[] json) throws IOException {
            int length = exchange(request(socket.getPort(), json));
            return Arrays.copyOf(body, length);
        }

        private static byte[] request(int port, byte[] json) {
            byte[] head = ("POST " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + json.length);
            System.arraycopy(json, 0, request, head.length, json.length);
            return request;
        }

        /** Sends the request and reads the whole answer into {@link #body}; returns its length. */
        private int exchange(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("POST " + PATH + ": " + status);
            }
            int length = -1;
            boolean chunked = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(
                            header.substring("content-length:".length()).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    throw new IOException("POST " + PATH + ": the server closes the connection");
                }
            }
            if (!chunked) {
                if (length < 0) {
                    throw new IOException("POST " + PATH + ": neither Content-Length nor chunked");
                }
                read(0, length);
                return length;
            }
            int total = 0;
            for (int chunk = Integer.parseInt(line().trim(), 16);
                    chunk > 0;
                    chunk = Integer.parseInt(line().trim(), 16)) {
                read(total, chunk);
                total += chunk;
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
            return total;
        }

        private void read(int offset, int length) throws IOException {
            if (offset + length > body.length) {
                body = Arrays.copyOf(body, Math.max(offset + length, body.length * 2));
            }
            if (in.readNBytes(body, offset, length) != length) {
                throw new EOFException("POST " + PATH + ": the answer ended early");
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("POST " + PATH + ": the connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
