package io.fathom.app;

import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * {@code fathom run} through the CLI in this JVM, on a thread of its own, with the environment a test gives it (the
 * variables a container would set): its console captured, its API port read from it, stopped as Ctrl-C stops it.
 */
final class FathomRun implements AutoCloseable {
    private static final Pattern API_PORT = Pattern.compile("API on port (\\d+)");

    private final AtomicReference<RunCommand> command = new AtomicReference<>();
    private final StringWriter console = new StringWriter();
    private final ExecutorService runner = Executors.newSingleThreadExecutor();
    private final Future<Integer> exit;

    private FathomRun(Map<String, String> environment, List<String> args) {
        CommandLine cli = new CommandLine(new FathomCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof RunCommand run) {
                    run.environment = environment;
                    command.set(run);
                }
                return made;
            }
        });
        cli.setOut(new PrintWriter(console, true));
        cli.setErr(new PrintWriter(console, true));
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        this.exit = runner.submit(() -> cli.execute(all.toArray(new String[0])));
    }

    /** Starts {@code fathom run ARGS} with {@code environment} as its environment. */
    static FathomRun start(Map<String, String> environment, String... args) {
        return new FathomRun(environment, List.of(args));
    }

    /** Waits until the run prints its API port (it has started every component, some perhaps still waiting). */
    int awaitApiPort(Duration timeout) {
        return await("fathom run prints its API port").atMost(timeout).until(this::apiPort, p -> p > 0);
    }

    private int apiPort() {
        if (exit.isDone()) {
            throw new AssertionError("fathom run ended before serving; its console:\n" + console);
        }
        Matcher m = API_PORT.matcher(console.toString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    String console() {
        return console.toString();
    }

    /** Stops the run as Ctrl-C does and returns its exit code. */
    int stop() throws Exception {
        if (command.get() != null) {
            command.get().stop();
        }
        try {
            return exit.get(90, TimeUnit.SECONDS);
        } finally {
            runner.shutdown();
        }
    }

    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            stop();
        }
        runner.shutdown();
    }
}
