package io.fathom.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (from the {@code PATH}: Debian's is built with TLS) that speaks only TLS ({@code --port 0 --tls-port P}) with a certificate of a
 * private CA made at test time ({@link TestCertificates}), and an ACL user: the default user is off, {@link
 * #USER} may do everything with {@link #password()}. Clients are not asked for certificates ({@code
 * tls-auth-clients no}). Its data lives in memory only; {@link #close()} stops it.
 */
public final class TlsRedisServer implements AutoCloseable {
    public static final String USER = "fathom";

    private final Path dir;
    private final TestCertificates certificates;
    private final String password = "redis-pw-" + Long.toHexString(System.nanoTime());
    private final int port;
    private final Process process;

    /** Makes certificates and starts the server in {@code dir}, returning once it listens. */
    public TlsRedisServer(Path dir) {
        this.dir = dir;
        this.certificates = TestCertificates.create(dir.resolve("certs"));
        this.port = freePort();
        try {
            Path config = dir.resolve("redis.conf");
            Files.write(
                    config,
                    List.of(
                            "port 0",
                            "tls-port " + port,
                            "bind 127.0.0.1",
                            "tls-cert-file " + certificates.serverCertificatePem(),
                            "tls-key-file " + certificates.serverKeyPem(),
                            "tls-ca-cert-file " + certificates.caPem(),
                            "tls-auth-clients no",
                            "save \"\"",
                            "appendonly no",
                            "dir " + dir,
                            "user default off",
                            "user " + USER + " on >" + password + " ~* &* +@all"));
            this.process = new ProcessBuilder("redis-server", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new TestkitException("could not start redis-server with TLS in " + dir + ": " + e, e);
        }
        await("redis-server with TLS listening on " + port)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new TestkitException("redis-server exited: " + log());
                    }
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        return socket.isConnected();
                    }
                });
    }

    public TestCertificates certificates() {
        return certificates;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    /** {@code rediss://fathom:<password>@127.0.0.1:<port>}: clients also need the CA ({@code certificates().caPem()}). */
    public String uri() {
        return uri(USER, password);
    }

    public String uri(String user, String password) {
        return "rediss://" + user + ":" + password + "@127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new TestkitException("could not find a free port: " + e, e);
        }
    }
}
