package io.fathom.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium, headless, for tests: loads a page, lets its scripts run for a budget of virtual
 * time, and gives back the DOM they left (or a screenshot). Each run has a fresh profile under
 * {@code workDir} and the flags that keep it off the network (it would otherwise keep dialling out).
 * The app's pom installs chromium where it is missing (profile {@code install-chromium}).
 */
final class HeadlessChromium {
    static final Path BINARY = Path.of("/usr/bin/chromium");

    private final Path workDir;
    private final Duration timeout;
    private int runs;

    /**
     * @param workDir where profiles and output go (the test's temporary directory)
     * @param timeout how long one run may take before it is killed and the test fails
     */
    HeadlessChromium(Path workDir, Duration timeout) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's chromium (apt-get install -y"
                    + " chromium chromium-driver; the app module's install-chromium profile does it at"
                    + " pre-integration-test)");
        }
        this.workDir = workDir;
        this.timeout = timeout;
    }

    /** The page's DOM, serialized, after its scripts ran for {@code budget} of virtual time. */
    String dumpDom(URI url, Duration budget) {
        Path out = run(List.of("--virtual-time-budget=" + budget.toMillis(), "--dump-dom", url.toString()));
        try {
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chromium's output " + out, e);
        }
    }

    /** A PNG of the page in a window of {@code width} × {@code height}, after {@code budget} of virtual time. */
    void screenshot(URI url, Duration budget, Path png, int width, int height) {
        run(List.of(
                "--virtual-time-budget=" + budget.toMillis(),
                "--window-size=" + width + "," + height,
                "--hide-scrollbars",
                "--screenshot=" + png.toAbsolutePath(),
                url.toString()));
        if (!Files.isRegularFile(png)) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    /** Runs chromium with {@code arguments}; its stdout goes to the returned file, stderr to a log beside it. */
    private Path run(List<String> arguments) {
        int run = ++runs;
        Path profile = workDir.resolve("chromium-profile-" + run);
        Path stdout = workDir.resolve("chromium-" + run + ".out");
        Path stderr = workDir.resolve("chromium-" + run + ".log");
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile));
        command.addAll(arguments);
        try {
            Files.createDirectories(profile);
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IllegalStateException(
                        "chromium did not finish within " + timeout + ": " + command + "\n" + tail(stderr));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(
                        "chromium exited with " + process.exitValue() + ": " + command + "\n" + tail(stderr));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while chromium ran", e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
