package io.fathom.testkit;

import io.fathom.testkit.internal.RedisBinary;
import io.fathom.testkit.internal.Resp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.FileUtils;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} process for tests, on {@code 127.0.0.1} and a port of its own, with no
 * Docker: {@code redis-server} from the {@code PATH} if there is one, otherwise the Redis 7.0.15 binary
 * shipped in {@code org.signal:embedded-redis}.
 *
 * <p>The server keeps its data in an append-only file in a temporary directory, so {@link #stop()}
 * (a graceful {@code SIGTERM} shutdown of the process) and {@link #start()} again on the same port bring
 * back the same data: an outage, not a wipe. {@link #close()} stops it and deletes the directory.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.startOnFreePort()) {
 *     connect(redis.uri()); // redis://127.0.0.1:NNNNN
 *     redis.stop();         // clients now fail to connect
 *     redis.start();        // same port, same data
 * }
 * }</pre>
 *
 * In JUnit 5 tests, prefer {@link RedisExtension}, which gives each test class a server of its own.
 */
public final class RedisServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private final Path dir;
    private final Path executable;
    private final int port;
    private final List<String> extraArgs;
    private final Thread killOnExit;
    private Process process; // guarded by this; null while stopped

    private RedisServer(Path dir, Path executable, int port, List<String> extraArgs) {
        this.dir = dir;
        this.executable = executable;
        this.port = port;
        this.extraArgs = List.copyOf(extraArgs);
        this.killOnExit = new Thread(this::killIfRunning, "redis-server-" + port + "-kill-on-exit");
    }

    /** Starts a server on a free port, with a fresh data directory. */
    public static RedisServer startOnFreePort() {
        return startOnFreePort(List.of());
    }

    /**
     * Starts a server on a free port, with a fresh data directory and more {@code redis-server} arguments after the
     * usual ones (e.g. {@code --cluster-enabled yes}).
     */
    public static RedisServer startOnFreePort(List<String> extraArgs) {
        RedisServer server = onFreePort(extraArgs);
        try {
            server.start();
        } catch (RuntimeException e) {
            try {
                server.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        return server;
    }

    /**
     * A server on a free port with a fresh data directory, not started yet ({@link #start()} starts it): for a test of
     * a client that starts before its Redis.
     */
    public static RedisServer onFreePort() {
        return onFreePort(List.of());
    }

    private static RedisServer onFreePort(List<String> extraArgs) {
        Path dir;
        try {
            dir = Files.createTempDirectory("fathom-redis-");
        } catch (IOException e) {
            throw new TestkitException("cannot create a directory for redis-server", e);
        }
        RedisServer server = new RedisServer(dir, RedisBinary.locate(dir), freePort(), extraArgs);
        Runtime.getRuntime().addShutdownHook(server.killOnExit);
        return server;
    }

    /** The URI for clients: {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** Whether the process is running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Starts the process (again) on this server's port, with the data it had when stopped, and returns once
     * it answers {@code PING}. Does nothing if it is running.
     *
     * @throws TestkitException if it does not answer within 30 s; its log is in the message
     */
    public synchronized void start() {
        if (isRunning()) {
            return;
        }
        long startedAt = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                "--dir",
                dir.toString(),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
                "--protected-mode",
                "no",
                "--logfile",
                ""));
        command.addAll(extraArgs);
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new TestkitException("cannot run " + executable, e);
        }
        awaitReady();
        LOG.info(
                "Started redis-server ({}) at {} in {} ms",
                executable,
                uri(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    private void awaitReady() {
        Process running = process;
        try {
            Awaitility.await("redis-server at " + uri() + " answers PING")
                    .atMost(START_TIMEOUT)
                    .pollInSameThread()
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!running.isAlive()) {
                            throw new TestkitException(
                                    "redis-server exited with " + running.exitValue() + ": " + log());
                        }
                        return "+PONG".equals(Resp.command(HOST, port, COMMAND_TIMEOUT, "PING"));
                    });
        } catch (ConditionTimeoutException e) {
            running.destroyForcibly();
            process = null;
            throw new TestkitException(
                    "redis-server at " + uri() + " did not answer within " + START_TIMEOUT + ": " + log(), e);
        } catch (TestkitException e) {
            process = null;
            throw e;
        }
    }

    /**
     * Stops the process gracefully ({@code SIGTERM}: Redis flushes its append-only file and exits) and waits
     * until it has exited; clients then find nothing on the port. Does nothing if it is stopped.
     */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        Process stopping = process;
        process = null;
        stopping.destroy();
        try {
            if (!stopping.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                stopping.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                throw new TestkitException(
                        "redis-server at " + uri() + " did not stop within " + STOP_TIMEOUT + " and was killed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping.destroyForcibly();
            throw new TestkitException("interrupted while stopping redis-server at " + uri(), e);
        }
        LOG.info("Stopped redis-server at {}", uri());
    }

    /** Deletes every key ({@code FLUSHALL}). */
    public void flushAll() {
        String reply;
        try {
            reply = Resp.command(HOST, port, COMMAND_TIMEOUT, "FLUSHALL");
        } catch (IOException e) {
            throw new TestkitException("FLUSHALL on redis-server at " + uri() + " failed", e);
        }
        if (!"+OK".equals(reply)) {
            throw new TestkitException("FLUSHALL on redis-server at " + uri() + " answered " + reply);
        }
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            stop();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to: nothing to remove.
            }
            deleteDirectory(dir);
        }
    }

    @Override
    public String toString() {
        return "RedisServer[" + uri() + (isRunning() ? "" : ", stopped") + "]";
    }

    private synchronized void killIfRunning() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    private String log() {
        try {
            String text = Files.readString(dir.resolve("redis.log"), StandardCharsets.UTF_8);
            return text.length() > 4000 ? "..." + text.substring(text.length() - 4000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TestkitException("cannot find a free port on " + HOST, e);
        }
    }

    private static void deleteDirectory(Path dir) {
        try {
            FileUtils.deleteDirectory(dir.toFile());
        } catch (IOException e) {
            throw new TestkitException("cannot delete " + dir, e);
        }
    }
}
