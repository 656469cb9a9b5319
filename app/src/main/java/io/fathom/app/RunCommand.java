package io.fathom.app;

import io.fathom.app.config.InvalidConfigException;
import io.fathom.app.config.RunConfigLoader;
import io.fathom.app.node.Component;
import io.fathom.app.node.FathomNode;
import io.fathom.app.node.NodeConfig;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.online.StoreRefusedException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fathom run}: the named components against an external Kafka (and Redis), until stopped. Run
 * several instances with the same configuration and Kafka spreads the partitions across them.
 */
@Command(name = "run", description = "Run Fathom components against an external Kafka and Redis.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    Console console;

    @Option(names = "--config", required = true, description = "The run configuration (YAML).")
    Path config;

    @Option(
            names = "--components",
            defaultValue = "ingest,online-writer,offline-writer,monitor,alert-dispatcher,api",
            split = ",",
            description =
                    "Any of ingest, online-writer, offline-writer, monitor, alert-dispatcher, api (default: ${DEFAULT-VALUE}).")
    List<String> components;

    @Mixin
    ComponentLogs logs;

    /** The environment that overrides the file (a test gives its own). */
    Map<String, String> environment = System.getenv();

    private static final Duration CLOSE_ON_SIGNAL = Duration.ofSeconds(60);
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    void stop() {
        stop.countDown();
    }

    private void stopAndAwaitClose() {
        stop();
        try {
            closed.await(CLOSE_ON_SIGNAL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        List<String> problems = new ArrayList<>();
        Set<Component> selected = EnumSet.noneOf(Component.class);
        for (String name : components) {
            Component.fromCliName(name.trim())
                    .ifPresentOrElse(
                            selected::add,
                            () -> problems.add(
                                    "--components: unknown component \"" + name
                                            + "\" (allowed: ingest, online-writer, offline-writer, monitor, alert-dispatcher, api)"));
        }
        NodeConfig settings = null;
        try {
            settings = RunConfigLoader.load(config, environment).toBuilder()
                    .components(selected)
                    .build();
        } catch (InvalidConfigException e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            String summary = config + ": " + problems.size() + " problem(s); nothing was started";
            problems.add(summary);
            return console.fail(1, problems);
        }
        logs.route(DataDirs.create(settings.dataDir()))
                .ifPresent(file -> console.out().println("fathom run: component logs go to " + file));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (FathomNode node = new FathomNode(settings, Clock.systemUTC(), registry, alert -> {})) {
            PrintWriter out = console.out();
            out.printf(
                    "fathom run: %s against %s%s%n",
                    components,
                    settings.kafka().bootstrapServers(),
                    node.httpPort().map(p -> ", API on port " + p).orElse(""));
            out.flush();
            // SIGTERM or Ctrl-C: the JVM halts once its shutdown hooks return, so the hook waits for the node to close
            // (the offline writer commits its open files, the consumers leave their groups) instead of cutting it off.
            Thread onCtrlC = new Thread(this::stopAndAwaitClose);
            Runtime.getRuntime().addShutdownHook(onCtrlC);
            stop.await();
        } catch (StoreRefusedException | FathomKafkaException refused) {
            // refused credentials or certificates, topics Kafka would not create or serve: said in one line
            return console.fail(1, "fathom run: cannot start: " + refused.getMessage());
        } finally {
            closed.countDown();
        }
        return 0;
    }
}
