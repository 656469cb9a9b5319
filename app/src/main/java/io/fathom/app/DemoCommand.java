package io.fathom.app;

import io.fathom.app.demo.DemoProducer;
import io.fathom.app.demo.ExampleDefinitions;
import io.fathom.app.demo.JsonLinesReplay;
import io.fathom.app.demo.TransactionGenerator;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.testkit.KafkaBroker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fathom demo}: everything in one JVM with nothing installed — a Kafka broker, ingest, the
 * online writer, the RocksDB online store (or Redis with {@code --online}), the HTTP API, and a
 * synthetic transaction producer (or a replay of your events) — printing what happens until stopped.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run all of Fathom in this JVM on synthetic (or your) events, and serve features on localhost.")
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
            names = "--data-dir",
            defaultValue = "fathom-data/demo",
            description = "Where the demo keeps its state (wiped at start).")
    Path dataDir;

    private final CountDownLatch stop = new CountDownLatch(1);

    /** Ends a running demo (as Ctrl-C does). */
    void stop() {
        stop.countDown();
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
        PrintWriter out = spec.commandLine().getOut();
        Optional<Duration> stopAfter = Optional.ofNullable(duration).map(d -> DurationOption.parse("--duration", d));
        Duration drift = DurationOption.parse("--drift-after", driftAfter);
        Clock clock = Clock.systemUTC();
        long started = System.nanoTime();

        DataDirs.wipe(dataDir);
        Path definitionsFile =
                features != null ? features : ExampleDefinitions.extractTo(dataDir.resolve("definitions"));
        FeatureDefinitions definitions = DefinitionsParser.parse(definitionsFile);
        SourceDefinition source = definitions.sources().get(0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        out.println("fathom demo: starting an in-JVM Kafka broker ...");
        out.flush();
        try (KafkaBroker broker = KafkaBroker.startInJvm()) {
            for (SourceDefinition s : definitions.sources()) {
                broker.createTopics(4, s.topic());
            }
            NodeOptions options = new NodeOptions(
                    definitions,
                    broker.bootstrapServers(),
                    dataDir,
                    Optional.ofNullable(online),
                    TrainingSetCommand.storeUri(dataDir.resolve("offline").toString()),
                    Duration.ofSeconds(15),
                    "127.0.0.1",
                    port,
                    4,
                    EnumSet.allOf(Component.class));
            try (FathomNode node = new FathomNode(options, clock, registry);
                    AutoCloseable producer = events != null
                            ? new JsonLinesReplay(broker.bootstrapServers(), source.topic(), events)
                            : new DemoProducer(
                                    broker.bootstrapServers(),
                                    source.topic(),
                                    new TransactionGenerator(TransactionSchema.of(source), users, 42, clock, drift),
                                    rate)) {
                int httpPort = node.httpPort().orElseThrow();
                out.printf(
                        "fathom demo: Kafka at %s, API on http://localhost:%d (%.1f s)%n",
                        broker.bootstrapServers(), httpPort, (System.nanoTime() - started) / 1e9);
                out.printf(
                        "fathom demo: %s%n",
                        events != null
                                ? "replaying " + events
                                : "producing " + rate + " transactions/s for " + users + " users; drift after "
                                        + drift);
                out.flush();
                Thread onCtrlC = new Thread(this::stop);
                Runtime.getRuntime().addShutdownHook(onCtrlC);
                DemoReporter reporter = new DemoReporter(out, node, registry, definitions, httpPort, clock, started);
                Instant deadline = stopAfter.map(d -> clock.instant().plus(d)).orElse(Instant.MAX);
                while (!stop.await(5, TimeUnit.SECONDS)) {
                    reporter.report();
                    if (!clock.instant().isBefore(deadline)) {
                        break;
                    }
                }
                removeHook(onCtrlC);
                out.println("fathom demo: stopping");
                out.flush();
            }
        }
        return 0;
    }
}
