package io.fathom.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One packaged {@code fathom run --config C --components X} process: the app jar and its {@code lib/} as {@code
 * ./fathom} runs them (the launcher itself is not used: it would rebuild the app if a source changed mid-run),
 * its console appended to {@code <name>.out} in the log directory. {@link #kill()} is {@code SIGKILL}, {@link
 * #stop()} is {@code SIGTERM} (the node closes cleanly). Used by the chaos harness and the two-instance test.
 */
public final class FathomProcess implements AutoCloseable {
    private static final Pattern API_PORT = Pattern.compile("API on port (\\d+)");

    private final String name;
    private final Path root;
    private final Path config;
    private final String components;
    private final Path console;
    private Process process;
    private int starts;

    public FathomProcess(String name, Path root, Path config, String components, Path logs) {
        this.name = name;
        this.root = root;
        this.config = config;
        this.components = components;
        this.console = logs.resolve(name + ".out");
    }

    /** The repository root: the nearest directory up from here holding {@code fathom} and the packaged app. */
    public static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("fathom")) && Files.isDirectory(dir.resolve("app"))) {
                if (!Files.isRegularFile(appJar(dir)) || !Files.isDirectory(dir.resolve("app/target/lib"))) {
                    throw new IllegalStateException("the app is not packaged: run ./mvnw -o package -pl app -am"
                            + " -DskipTests in " + dir + " first");
                }
                return dir;
            }
        }
        throw new IllegalStateException(
                "no Fathom repository above " + Path.of("").toAbsolutePath());
    }

    private static Path appJar(Path root) {
        return root.resolve("app/target/fathom-app-0.1.0-SNAPSHOT.jar");
    }

    public String name() {
        return name;
    }

    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        starts++;
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx400m",
                "-XX:+UseSerialGC",
                "-cp",
                appJar(root) + ":" + root.resolve("app/target/lib") + "/*",
                "io.fathom.app.FathomCli",
                "run",
                "--config",
                config.toString(),
                "--components",
                components));
        try {
            Files.writeString(
                    console, "---- start " + starts + " ----\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(config.getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Whether it was started and has exited without being killed or stopped. */
    public synchronized boolean exitedByItself() {
        return process != null && !process.isAlive();
    }

    /** {@code SIGKILL}, and waits until it is gone. */
    public synchronized void kill() {
        end(true);
    }

    /** {@code SIGTERM}, and waits until it has closed (killed after a minute). */
    public synchronized void stop() {
        end(false);
    }

    private void end(boolean kill) {
        if (process == null) {
            return;
        }
        Process ending = process;
        process = null;
        try {
            if (kill) {
                ending.destroyForcibly();
            } else {
                ending.destroy();
            }
            if (!ending.waitFor(60, TimeUnit.SECONDS)) {
                ending.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending.destroyForcibly();
        }
    }

    /** The API port the current start printed, if it has. */
    public Optional<Integer> apiPort() {
        String text = consoleText();
        int from = text.lastIndexOf("---- start ");
        Matcher m = API_PORT.matcher(from < 0 ? text : text.substring(from));
        return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public String consoleText() {
        try {
            return Files.exists(console) ? Files.readString(console) : "";
        } catch (IOException e) {
            return "(" + console + " unreadable: " + e + ")";
        }
    }

    @Override
    public synchronized void close() {
        kill();
    }

    @Override
    public String toString() {
        return name + " (" + components + ")";
    }
}
