package io.fathom.testkit;

import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A single-node Kafka broker in a JVM of its own, as a deployment runs one: on a fixed port of {@code 127.0.0.1}
 * and a data directory that outlives the process, so a test can kill it with {@code SIGKILL} ({@link #kill()}) and
 * start it again on the same port and data ({@link #restart()}), a broker bounce that clients ride out by
 * reconnecting. The process runs this class's {@link #main} (fathom-embedded's {@link EmbeddedKafka} with the
 * port and data directory given) on this JVM's class path; its output goes to a log file.
 *
 * <pre>{@code
 * try (StandaloneBroker broker = StandaloneBroker.start(dir.resolve("kafka"), dir.resolve("broker.log"))) {
 *     broker.kill();     // SIGKILL, mid-load
 *     broker.restart();  // same port, same log directory
 * }
 * }</pre>
 */
public final class StandaloneBroker implements AutoCloseable {
    private static final String READY = "StandaloneBroker ready at ";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Path dataDir;
    private final Path log;
    private final int port;
    private final String javaOptions;
    private Process process; // guarded by this; null while killed

    private StandaloneBroker(Path dataDir, Path log, int port, String javaOptions) {
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
        this.javaOptions = javaOptions;
    }

    /**
     * Starts a broker process on a free port with {@code dataDir} as its log directory (formatted on the first start),
     * appending its output to {@code log}, with a 512 MiB heap; returns once it answers.
     */
    public static StandaloneBroker start(Path dataDir, Path log) {
        StandaloneBroker broker = new StandaloneBroker(dataDir, log, freePort(), "-Xmx512m");
        broker.restart();
        return broker;
    }

    /** {@code 127.0.0.1:port}, the same across restarts. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Whether the process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Kills the process with {@code SIGKILL} (no clean shutdown, no flush) and waits until it is gone. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        Process killed = process;
        process = null;
        killed.destroyForcibly();
        try {
            killed.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while killing the broker at " + bootstrapServers(), e);
        }
    }

    /**
     * Starts the process again on the same port and data directory (does nothing if it runs) and returns once it
     * says it is ready. The port may still be held for a moment after a kill: the start is tried again until the
     * timeout.
     *
     * @throws TestkitException if it is not ready within two minutes; the log file's tail is in the message
     */
    public synchronized void restart() {
        if (isRunning()) {
            return;
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            long offset = logSize();
            Process started = launch();
            try {
                Awaitility.await("the broker at " + bootstrapServers() + " says it is ready")
                        .atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> !started.isAlive() || logSince(offset).contains(READY));
            } catch (ConditionTimeoutException e) {
                started.destroyForcibly();
                throw new TestkitException(
                        "the broker at " + bootstrapServers() + " did not start within " + START_TIMEOUT + ": "
                                + tail(),
                        e);
            }
            if (started.isAlive()) {
                process = started;
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TestkitException("the broker at " + bootstrapServers() + " exited at start: " + tail());
            }
        }
    }

    private Process launch() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            return new ProcessBuilder(List.of(
                            java,
                            javaOptions,
                            "-cp",
                            System.getProperty("java.class.path"),
                            StandaloneBroker.class.getName(),
                            Integer.toString(port),
                            dataDir.toAbsolutePath().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new TestkitException("cannot start a broker process", e);
        }
    }

    private long logSize() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new TestkitException("cannot read " + log, e);
        }
    }

    private String logSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset));
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4_000));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e + ")";
        }
    }

    /** Kills the process. The data directory stays. */
    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "StandaloneBroker[" + bootstrapServers() + ", " + dataDir + (isRunning() ? "" : ", killed") + "]";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TestkitException("no free port for a broker", e);
        }
    }

    /**
     * The broker process: {@code StandaloneBroker <port> <data-dir>}. Prints a ready line, then runs until killed (a
     * {@code SIGTERM} closes the broker cleanly).
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: StandaloneBroker <port> <data-dir>");
            System.exit(2);
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                .port(Integer.parseInt(args[0]))
                .dataDir(Optional.of(Path.of(args[1])))
                .build());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }));
        System.out.println(READY + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }
}
