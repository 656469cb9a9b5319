package io.fathom.app;

import io.fathom.app.demo.DemoBaseline;
import io.fathom.app.demo.DemoMilestones;
import io.fathom.app.demo.DemoMonitoring;
import io.fathom.app.demo.DemoPredictions;
import io.fathom.app.demo.DemoProducer;
import io.fathom.app.demo.DemoReporter;
import io.fathom.app.demo.DemoWebhooks;
import io.fathom.app.demo.ExampleDefinitions;
import io.fathom.app.demo.JsonLinesReplay;
import io.fathom.app.demo.PredictionGenerator;
import io.fathom.app.demo.TransactionGenerator;
import io.fathom.app.demo.TransactionSchema;
import io.fathom.app.http.ApiAuth;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaConfig;
import io.fathom.online.RedisConnection;
import io.fathom.online.StoreRefusedException;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.avro.AlertEvent;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fathom demo}: everything in one JVM with nothing installed — a Kafka broker, ingest, the
 * online writer, the RocksDB online store (or Redis with {@code --online}), the HTTP API, and a
 * synthetic transaction producer (or a replay of your events) — printing what happens until stopped.
 */
@Command(
        name = "demo",
        description = "Run all of Fathom in this JVM on synthetic (or your) events, and serve features on localhost.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    Console console;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--duration", description = "Stop after this long (e.g. 60s, 5m); default: run until stopped.")
    String duration;

    @Option(names = "--features", description = "Your feature definitions (default: the bundled example).")
    Path features;

    @Option(names = "--events", description = "Replay these JSON lines (in event-time order) instead of the generator.")
    Path events;

    @Option(names = "--online", description = "Redis URI for the online store (default: embedded RocksDB).")
    String online;

    @Option(
            names = "--rate",
            defaultValue = "500",
            description = "Generated events per second (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--users", defaultValue = "5000", description = "Generated users (default ${DEFAULT-VALUE}).")
    int users;

    @Option(
            names = "--drift-after",
            defaultValue = "3m",
            description = "When the generator starts drifting (default ${DEFAULT-VALUE}).")
    String driftAfter;

    @Option(
            names = "--drift-for",
            defaultValue = "90s",
            description = "How long the drift lasts before the data returns to normal (default ${DEFAULT-VALUE}).")
    String driftFor;

    @Option(
            names = "--baseline-after",
            defaultValue = "75s",
            description =
                    "When the demo builds its drift baseline from a training set of what it saw (default ${DEFAULT-VALUE}).")
    String baselineAfter;

    @Option(
            names = "--monitor-window",
            defaultValue = "30s",
            description = "Drift and bias window of the demo's monitors (default ${DEFAULT-VALUE}).")
    String monitorWindow;

    @Option(
            names = "--webhook",
            description = "Also POST alerts here (JSON events, Standard Webhooks headers); repeatable.")
    List<URI> webhooks = new ArrayList<>();

    @Option(
            names = "--webhook-secret",
            description =
                    "Standard Webhooks secret (whsec_...) to sign alerts with; default: a new one, printed at start.")
    String webhookSecret;

    @Option(
            names = "--data-dir",
            defaultValue = "fathom-data/demo",
            description = "Where the demo keeps its state (wiped at start).")
    Path dataDir;

    @Mixin
    ComponentLogs logs;

    @Option(
            names = "--token",
            description = "Require this bearer token (16+ characters, all scopes) on the API; the page takes it"
                    + " from its address: http://localhost:PORT/#token=TOKEN. Default: the API is open on localhost.")
    String token;

    private final CountDownLatch stop = new CountDownLatch(1);

    /** Ends a running demo (as Ctrl-C does). */
    void stop() {
        stop.countDown();
    }

    private static void printAlert(PrintWriter out, AlertEvent alert) {
        out.printf(
                "fathom demo: ALERT %s %s %s (value %.3f, threshold %.3f)%n",
                alert.getStatus().toString().toUpperCase(java.util.Locale.ROOT),
                alert.getKind(),
                alert.getLabels(),
                alert.getValue(),
                alert.getThreshold());
        out.flush();
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting: the hook has run
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = console.out();
        ApiAuth auth;
        try {
            auth = token == null ? ApiAuth.none() : ApiAuth.admin(token);
        } catch (IllegalArgumentException e) {
            return console.fail(2, "--token: " + e.getMessage().replace("token admin", "the token"));
        }
        Optional<Duration> stopAfter = Optional.ofNullable(duration).map(d -> DurationOption.parse("--duration", d));
        Duration drift = DurationOption.parse("--drift-after", driftAfter);
        Duration driftLength = DurationOption.parse("--drift-for", driftFor);
        Clock clock = Clock.systemUTC();
        long started = System.nanoTime();

        DataDirs.wipe(dataDir);
        Optional<Path> logFile = logs.route(dataDir);
        Path definitionsFile =
                features != null ? features : ExampleDefinitions.extractTo(dataDir.resolve("definitions"));
        FeatureDefinitions parsed = DefinitionsParser.parse(definitionsFile);
        boolean monitored =
                events == null && parsed.view(DemoMilestones.USER_VIEW).isPresent();
        Duration window = DurationOption.parse("--monitor-window", monitorWindow);
        FeatureDefinitions definitions = monitored ? DemoMonitoring.addTo(parsed, window) : parsed;
        Duration baselineDelay = DurationOption.parse("--baseline-after", baselineAfter);
        SourceDefinition source = definitions.sources().get(0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        logFile.ifPresent(
                file -> out.println("fathom demo: component logs go to " + file + " (--verbose shows them here)"));
        out.println("fathom demo: starting an in-JVM Kafka broker ...");
        out.flush();
        try (EmbeddedKafka broker = EmbeddedKafka.start(
                EmbeddedKafkaConfig.builder().dataDir(dataDir.resolve("kafka")).build())) {
            for (SourceDefinition s : definitions.sources()) {
                broker.createTopics(4, s.topic());
            }
            Optional<MonitorDefinition.BiasMonitor> bias = definitions.monitors().stream()
                    .filter(MonitorDefinition.BiasMonitor.class::isInstance)
                    .map(MonitorDefinition.BiasMonitor.class::cast)
                    .findFirst()
                    .filter(b -> monitored && b.labels().isPresent());
            bias.ifPresent(
                    b -> broker.createTopics(4, b.predictions(), b.labels().orElseThrow()));
            NodeConfig options = NodeConfig.builder()
                    .definitions(definitions)
                    .kafka(broker.kafka())
                    .dataDir(dataDir)
                    .redis(Optional.ofNullable(online).map(RedisConnection::of))
                    .offlineRoot(OfflineStoreOption.storeUri(
                            dataDir.resolve("offline").toString()))
                    .offlineRoll(Duration.ofSeconds(15))
                    .httpHost("127.0.0.1")
                    .httpPort(port)
                    .auth(auth)
                    .webhooks(DemoWebhooks.endpoints(webhooks, webhookSecret, out))
                    .build();
            DemoBaseline sampler = new DemoBaseline();
            DemoMilestones milestones = new DemoMilestones(out, sampler, clock);
            try (FathomNode node = new FathomNode(options, clock, registry, alert -> printAlert(out, alert));
                    DemoPredictions predictions = new DemoPredictions(
                            options.kafka(),
                            bias.map(MonitorDefinition.BiasMonitor::predictions).orElse("fathom-demo-unused"),
                            bias.flatMap(MonitorDefinition.BiasMonitor::labels).orElse("fathom-demo-unused"),
                            new PredictionGenerator(
                                    43,
                                    clock,
                                    clock.instant().plus(drift),
                                    clock.instant().plus(drift).plus(driftLength)));
                    AutoCloseable producer = events != null
                            ? new JsonLinesReplay(options.kafka(), source.topic(), events)
                            : new DemoProducer(
                                    options.kafka(),
                                    source.topic(),
                                    new TransactionGenerator(
                                            TransactionSchema.of(source), users, 42, clock, drift, driftLength),
                                    rate,
                                    event -> {
                                        long user = (Long) event.get(DemoMilestones.USER_KEY);
                                        sampler.offer(user, (Long) event.get("event_time"));
                                        if (bias.isPresent()) {
                                            predictions.score(user);
                                        }
                                    })) {
                int httpPort = node.httpPort().orElseThrow();
                out.printf(
                        "fathom demo: Kafka at %s, API on http://localhost:%d (%.1f s)%n",
                        broker.bootstrapServers(), httpPort, (System.nanoTime() - started) / 1e9);
                if (auth.enabled()) {
                    out.printf(
                            "fathom demo: the API needs your --token (Authorization: Bearer ...); open the page as"
                                    + " http://localhost:%d/#token=<your token>%n",
                            httpPort);
                }
                out.printf(
                        "fathom demo: %s%n",
                        events != null
                                ? "replaying " + events
                                : "producing " + rate + " transactions/s for " + users + " users; drift after " + drift
                                        + " for " + driftLength);
                out.flush();
                Thread onCtrlC = new Thread(this::stop);
                Runtime.getRuntime().addShutdownHook(onCtrlC);
                DemoReporter reporter = new DemoReporter(out, node, registry, definitions, clock, started);
                Instant deadline = stopAfter.map(d -> clock.instant().plus(d)).orElse(Instant.MAX);
                Instant baselineAt = clock.instant().plus(baselineDelay);
                boolean baselinePublished = !monitored;
                while (!stop.await(5, TimeUnit.SECONDS)) {
                    reporter.report();
                    if (!baselinePublished && !clock.instant().isBefore(baselineAt)) {
                        baselinePublished = milestones.publishBaseline(node, options.kafka(), window);
                        if (baselinePublished) {
                            milestones.suggestTrainingSet(dataDir, definitionsFile);
                        }
                    }
                    if (!clock.instant().isBefore(deadline)) {
                        break;
                    }
                }
                removeHook(onCtrlC);
                out.println("fathom demo: stopping");
                out.flush();
            } catch (StoreRefusedException refused) {
                // wrong credentials or certificates in --online: the user's to fix, said in one line
                return console.fail(1, "fathom demo: cannot start: " + refused.getMessage());
            }
        }
        return 0;
    }
}
