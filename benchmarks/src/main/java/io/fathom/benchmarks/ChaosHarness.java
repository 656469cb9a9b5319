package io.fathom.benchmarks;

import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineStore;
import io.fathom.online.RedisOnlineStore;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.FathomProcess;
import io.fathom.testkit.RedisServer;
import io.fathom.testkit.StandaloneBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issue 12's chaos run. Separate processes as a deployment runs them: a {@link StandaloneBroker} (its own JVM, a
 * fixed port, a data directory that survives it), a real {@code redis-server}, and four packaged {@code fathom run}
 * processes: ingest, the online writer, the offline writer (each alone) and the API. A producer sends {@link
 * ChaosEvents} at a steady rate for the whole run while the chaos loop SIGKILLs ingest, the online writer or the
 * offline writer, in a random order reshuffled every three kills, at random times, and restarts it after a random pause; once, Redis is stopped
 * under load (the API's online reads must answer 503 fast meanwhile), and once the broker's JVM is SIGKILLed and
 * started again on its port and data. Then the producer stops, the components catch up, and {@link ChaosVerifier}
 * compares everything with a recomputation from the source topic. A component that exits by itself is counted and
 * restarted.
 *
 * <p>The schedule's pauses are the point of the run (time under load between faults), not waits for a result.
 * Logs: {@code <work>/logs/<component>.out} (consoles, every start), {@code <work>/data-<component>/fathom.log}
 * (the components' logs), {@code <work>/logs/broker.log}.
 */
final class ChaosHarness {
    /** What happened and what the verifier found. */
    record Outcome(
            int cycles,
            Map<String, Integer> kills,
            int brokerBounces,
            int redisOutages,
            long outageReads,
            long outageReadsNot503,
            long outageReadMaxMillis,
            long outageReadMedianMillis,
            long upReadMaxMillis,
            long unexpectedExits,
            long sent,
            long producerErrors,
            double catchUpSeconds,
            ChaosVerifier.Verdict verdict) {}

    private static final int PARTITIONS = 4;
    private static final Duration TICK = Duration.ofMillis(500);

    private final ChaosSettings settings;
    private final Path work;
    private final Path logs;
    private final Random schedule;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<FathomProcess> processes = new ArrayList<>();
    private long unexpectedExits;

    private ChaosHarness(ChaosSettings settings) {
        this.settings = settings;
        this.work = settings.work().toAbsolutePath();
        this.logs = work.resolve("logs");
        this.schedule = new Random(settings.seed());
    }

    static Outcome run(ChaosSettings settings) throws Exception {
        return new ChaosHarness(settings).run();
    }

    private Outcome run() throws Exception {
        Path root = FathomProcess.repositoryRoot();
        FileUtils.deleteDirectory(work.toFile());
        Files.createDirectories(logs);
        Files.writeString(work.resolve("definitions.yaml"), ChaosEvents.definitions());
        ChaosEvents events = new ChaosEvents(settings.seed(), settings.users());
        try (StandaloneBroker broker = StandaloneBroker.start(work.resolve("kafka"), logs.resolve("broker.log"));
                RedisServer redis = RedisServer.startOnFreePort()) {
            KafkaSettings kafka = KafkaSettings.builder()
                    .bootstrapServers(broker.bootstrapServers())
                    .build();
            try (Admin admin = Admin.create(kafka.adminProperties())) {
                Topics.ensure(admin, List.of(TopicSpec.of(ChaosEvents.TOPIC, PARTITIONS, (short) 1)));
            }
            FathomProcess ingest = process(root, "ingest", "ingest", broker, redis);
            FathomProcess onlineWriter = process(root, "online-writer", "online-writer", broker, redis);
            FathomProcess offlineWriter = process(root, "offline-writer", "offline-writer", broker, redis);
            FathomProcess api = process(root, "api", "api", broker, redis);
            try {
                processes.forEach(FathomProcess::start);
                int apiPort = awaitApiPort(api);
                log("broker " + broker.bootstrapServers() + ", " + redis.uri() + ", API on port " + apiPort
                        + "; logs in " + logs);
                return chaos(events, kafka, broker, redis, apiPort, List.of(ingest, onlineWriter, offlineWriter));
            } finally {
                for (FathomProcess process : processes) {
                    process.close();
                }
            }
        }
    }

    private Outcome chaos(
            ChaosEvents events,
            KafkaSettings kafka,
            StandaloneBroker broker,
            RedisServer redis,
            int apiPort,
            List<FathomProcess> victims)
            throws Exception {
        VictimOrder order = new VictimOrder(victims);
        Map<String, Integer> kills = new LinkedHashMap<>();
        victims.forEach(v -> kills.put(v.name(), 0));
        int outageAfter = settings.redisOutage().isZero() ? -1 : Math.max(1, settings.cycles() / 3);
        int bounceAfter = settings.brokerBounce() ? Math.max(1, (2 * settings.cycles()) / 3) : -1;
        long[] outage = {0, 0, 0, 0, 0}; // reads, not 503, max millis, median millis, max millis with Redis up
        int outages = 0;
        int bounces = 0;
        try (Producer producer = new Producer(events, kafka, settings.eventsPerSecond())) {
            idle(randomBetween(settings.killGapMin(), settings.killGapMax()));
            for (int cycle = 1; cycle <= Math.max(settings.cycles(), Math.max(outageAfter, bounceAfter)); cycle++) {
                if (cycle <= settings.cycles()) {
                    FathomProcess victim = order.next();
                    Duration down = randomBetween(settings.pauseMin(), settings.pauseMax());
                    log("cycle " + cycle + "/" + settings.cycles() + ": SIGKILL " + victim.name() + ", down "
                            + down.toMillis() + " ms (" + producer.sent() + " events sent)");
                    victim.kill();
                    kills.merge(victim.name(), 1, Integer::sum);
                    idle(down);
                    victim.start();
                }
                if (cycle == outageAfter) {
                    outageReads(redis, apiPort, outage);
                    outages++;
                }
                if (cycle == bounceAfter) {
                    Duration down = randomBetween(settings.pauseMin(), settings.pauseMax());
                    log("broker bounce: SIGKILL the broker's JVM, down " + down.toMillis() + " ms");
                    broker.kill();
                    idle(down);
                    broker.restart();
                    log("broker back at " + broker.bootstrapServers());
                    bounces++;
                }
                idle(randomBetween(settings.killGapMin(), settings.killGapMax()));
            }
            producer.close();
            log("producer stopped: " + producer.sent() + " events sent, " + producer.errors() + " send errors");
            return catchUpAndVerify(events, kafka, redis, kills, outages, bounces, outage, producer);
        }
    }

    private Outcome catchUpAndVerify(
            ChaosEvents events,
            KafkaSettings kafka,
            RedisServer redis,
            Map<String, Integer> kills,
            int outages,
            int bounces,
            long[] outage,
            Producer producer)
            throws IOException {
        long startedAt = System.nanoTime();
        ChaosVerifier verifier = new ChaosVerifier(events, kafka, work.resolve("offline"));
        FeatureDefinitions definitions = DefinitionsParser.parse(work.resolve("definitions.yaml"));
        try (RedisOnlineStore store = RedisOnlineStore.create(redis.uri(), OnlineStore.ttlByView(definitions))) {
            OnlineFeatureReader reader = new OnlineFeatureReader(definitions, store, Clock.systemUTC());
            long deadline = startedAt + settings.catchUp().toNanos();
            awaitZero("users whose online state differs", deadline, () -> verifier.onlineMismatches(reader));
            awaitZero(
                    "offline snapshot rows still to come",
                    deadline,
                    () -> Math.max(0, verifier.goodEvents() - verifier.offlineRowCount()));
            double catchUp = (System.nanoTime() - startedAt) / 1e9;
            ChaosVerifier.Verdict verdict = verifier.verify(reader);
            verdict.examples().forEach(example -> log("mismatch: " + example));
            return new Outcome(
                    settings.cycles(),
                    kills,
                    bounces,
                    outages,
                    outage[0],
                    outage[1],
                    outage[2],
                    outage[3],
                    outage[4],
                    unexpectedExits,
                    producer.sent(),
                    producer.errors(),
                    catchUp,
                    verdict);
        }
    }

    /** Polls {@code count} until it is zero or the deadline passes, keeping the components up meanwhile. */
    private void awaitZero(String what, long deadline, LongSupplier count) {
        long last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = count.getAsLong();
            } catch (RuntimeException e) {
                log(what + ": not readable yet (" + e.getMessage() + ")");
            }
            if (last == 0) {
                return;
            }
            idle(Duration.ofSeconds(2));
        }
        log(what + ": still " + last + " when the catch-up time ran out");
    }

    /**
     * Stops Redis for the outage; meanwhile reads one user's features over HTTP every second, each of which must be
     * a 503, fast; then starts Redis again (same port, same data).
     */
    private void outageReads(RedisServer redis, int apiPort, long[] outage) {
        // the API's first reads are slow (a cold JVM's first JSON, first MGET): warm it up while Redis is up; the
        // slowest of the last ten says how slow a read is on this machine now, whatever Redis does
        for (int i = 0; i < 20; i++) {
            long sentAt = System.nanoTime();
            read(apiPort);
            if (i >= 10) {
                outage[4] = Math.max(outage[4], (System.nanoTime() - sentAt) / 1_000_000);
            }
        }
        log("Redis outage: stopping redis-server for " + settings.redisOutage().toSeconds() + " s");
        redis.stop();
        long until = System.nanoTime() + settings.redisOutage().toNanos();
        List<String> reads = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        while (System.nanoTime() < until) {
            long sentAt = System.nanoTime();
            int status = read(apiPort);
            long millis = (System.nanoTime() - sentAt) / 1_000_000;
            reads.add(status + " in " + millis + " ms");
            times.add(millis);
            outage[0]++;
            outage[1] += status == 503 ? 0 : 1;
            outage[2] = Math.max(outage[2], millis);
            idle(Duration.ofSeconds(1));
        }
        redis.start();
        times.sort(null);
        outage[3] = times.isEmpty() ? 0 : times.get(times.size() / 2);
        log("Redis back: " + outage[0] + " reads during the outage, " + outage[1] + " not 503, slowest " + outage[2]
                + " ms, median " + outage[3] + " ms (with Redis up, the slowest of 10: " + outage[4] + " ms): "
                + reads);
    }

    /** One user's online features over HTTP: the status, -1 when no answer came. */
    private int read(int apiPort) {
        URI uri = URI.create("http://127.0.0.1:" + apiPort + "/v1/features/online");
        String body = "{\"features\": [\"" + ChaosEvents.VIEW + ":" + ChaosEvents.COUNT
                + "\"], \"entities\": {\"user_id\": [1, 2, 3]}}";
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(30))
                                    .header("content-type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits {@code duration}, restarting (and counting) any component that exited by itself. */
    private void idle(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        while (true) {
            for (FathomProcess process : processes) {
                if (process.exitedByItself()) {
                    unexpectedExits++;
                    log(process.name() + " exited by itself; restarting it (see " + logs + ")");
                    process.kill();
                    process.start();
                }
            }
            long left = until - System.nanoTime();
            if (left <= 0) {
                return;
            }
            sleep(Math.min(left, TICK.toNanos()));
        }
    }

    private int awaitApiPort(FathomProcess api) {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (api.apiPort().isPresent()) {
                return api.apiPort().get();
            }
            idle(TICK);
        }
        throw new IllegalStateException("the API did not start; its console:\n" + api.consoleText());
    }

    private FathomProcess process(Path root, String name, String components, StandaloneBroker broker, RedisServer redis)
            throws IOException {
        Path config = work.resolve(name + ".yaml");
        Files.writeString(
                config,
                "definitions: definitions.yaml\n"
                        + "kafka:\n  bootstrap_servers: " + broker.bootstrapServers() + "\n  partitions: " + PARTITIONS
                        + "\n"
                        + "online:\n  redis: " + redis.uri() + "\n"
                        + "offline:\n  root: " + work.resolve("offline").toUri() + "\n  roll_seconds: 2\n"
                        + "data_dir: data-" + name + "\n"
                        + "http:\n  host: 127.0.0.1\n  port: 0\n");
        FathomProcess process = new FathomProcess(name, root, config, components, logs);
        processes.add(process);
        return process;
    }

    /**
     * Who is killed next: the victims in a random order, reshuffled after each round, so that every component is
     * killed once in any three cycles (a short run covers all of them) while the order stays random.
     */
    private final class VictimOrder {
        private final List<FathomProcess> victims;
        private final List<FathomProcess> round = new ArrayList<>();

        VictimOrder(List<FathomProcess> victims) {
            this.victims = victims;
        }

        FathomProcess next() {
            if (round.isEmpty()) {
                round.addAll(victims);
                Collections.shuffle(round, schedule);
            }
            return round.remove(round.size() - 1);
        }
    }

    private Duration randomBetween(Duration min, Duration max) {
        long span = max.toMillis() - min.toMillis();
        return min.plusMillis(span == 0 ? 0 : (long) (schedule.nextDouble() * span));
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void log(String line) {
        System.out.println("chaos: " + line);
        System.out.flush();
    }

    /**
     * Sends {@link ChaosEvents} in sequence, keyed by user, at a steady rate on a thread of its own, each with its
     * sequence number in a header; idempotent ({@code KafkaSettings.producerProperties}), so a broker bounce
     * neither loses nor repeats one. {@link #close()} stops it and flushes.
     */
    private static final class Producer implements AutoCloseable {
        private final ChaosEvents events;
        private final KafkaProducer<byte[], byte[]> producer;
        private final int perTick;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();
        private final Thread thread;

        Producer(ChaosEvents events, KafkaSettings kafka, int eventsPerSecond) {
            this.events = events;
            Map<String, Object> props = kafka.producerProperties();
            props.put("delivery.timeout.ms", 300_000);
            props.put("max.block.ms", 300_000);
            props.put("linger.ms", 5);
            this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
            this.perTick = Math.max(1, eventsPerSecond / 10);
            this.thread = new Thread(this::produce, "chaos-producer");
            thread.start();
        }

        private void produce() {
            long seq = 0;
            long next = System.nanoTime();
            while (running.get()) {
                for (int i = 0; i < perTick; i++, seq++) {
                    ChaosEvents.Event event = events.event(seq);
                    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                            ChaosEvents.TOPIC,
                            Long.toString(event.user()).getBytes(StandardCharsets.UTF_8),
                            ChaosEvents.value(event, System.currentTimeMillis() - 60_000));
                    record.headers()
                            .add(
                                    ChaosEvents.SEQ_HEADER,
                                    ByteBuffer.allocate(8).putLong(seq).array());
                    producer.send(record, (metadata, e) -> {
                        if (e != null && errors.getAndIncrement() == 0) {
                            log("a send failed (the verifier reads what reached the topic): " + e);
                        }
                    });
                    sent.incrementAndGet();
                }
                next += 100_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleep(wait);
                }
            }
        }

        long sent() {
            return sent.get();
        }

        long errors() {
            return errors.get();
        }

        @Override
        public void close() {
            if (running.getAndSet(false)) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                producer.flush();
                producer.close();
            }
        }
    }
}
