package io.fathom.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** {@code fathom run} through its CLI in the test's JVM: the command line, and the API port the run prints. */
final class RunCli {
    private static final Pattern API_PORT = Pattern.compile("API on port (\\d+)");

    private RunCli() {}

    /**
     * Fathom's command line, printing to {@code console}; the {@link RunCommand} it makes is put in {@code run},
     * so a test can stop it.
     */
    static CommandLine cli(AtomicReference<RunCommand> run, StringWriter console) {
        CommandLine cli = new CommandLine(new FathomCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof RunCommand command) {
                    run.set(command);
                }
                return made;
            }
        });
        cli.setOut(new PrintWriter(console, true));
        cli.setErr(new PrintWriter(console, true));
        return cli;
    }

    /** The API port the run printed, 0 while it has not; fails if the run ended. */
    static int apiPort(String console, Future<Integer> exit) {
        if (exit.isDone()) {
            throw new AssertionError("fathom run ended before serving; its console:\n" + console);
        }
        Matcher m = API_PORT.matcher(console);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
