package io.fathom.embedded;

import io.fathom.kafka.Brokers;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.Topics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka broker in this JVM: KRaft, broker and controller in one {@link KafkaRaftServer},
 * listening on {@code 127.0.0.1}. Made for {@code fathom demo} and the testkit; it is product code and
 * needs nothing but Kafka's own jars.
 *
 * <p>{@link #start(EmbeddedKafkaConfig)} formats the log directory (unless it already is) with Kafka's
 * {@link StorageTool}, starts the server, and returns once an admin client sees the broker. {@link
 * #close()} stops the server and deletes the log directory if it was a temporary one.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafkaConfig.builder().dataDir(dir).build())) {
 *     kafka.createTopics(4, "events");
 *     new KafkaProducer<>(kafka.kafka().producerProperties(), keySerializer, valueSerializer) ...
 * }
 * }</pre>
 *
 * <p>A fatal metadata fault makes Kafka halt the JVM, as it would a real broker process.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    /** Ports picked as free can be taken by someone else before the broker binds them: try again. */
    private static final int ATTEMPTS_ON_A_TAKEN_PORT = 3;

    private static final Duration ADMIN_CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final Path logDir;
    private final boolean temporaryLogDir;
    private final String bootstrapServers;
    private final KafkaSettings clients;
    private final KafkaRaftServer server;
    private final Admin admin;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(EmbeddedKafkaConfig config) {
        long startedAt = System.nanoTime();
        this.temporaryLogDir = config.dataDir().isEmpty();
        this.logDir = createLogDir(config);
        KafkaRaftServer started = null;
        Admin client = null;
        try {
            int[] ports = ports(config.port());
            // with a secured listener, the configured port is its own; the plain-text one gets a free port
            int plaintextPort = config.security().isPresent() ? ports[2] : ports[0];
            this.bootstrapServers = BrokerProperties.HOST + ":" + ports[0];
            Properties props = BrokerProperties.of(logDir, plaintextPort, ports[1], config.startTimeout());
            config.security().ifPresent(security -> BrokerProperties.secure(props, security, ports[0]));
            format(props, logDir);
            LOG.debug("Formatted {} after {} ms", logDir, millisSince(startedAt));
            started = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            started.startup();
            LOG.debug("KafkaRaftServer started after {} ms", millisSince(startedAt));
            this.clients = KafkaSettings.builder()
                    .bootstrapServers(BrokerProperties.HOST + ":" + plaintextPort)
                    .build();
            client = Admin.create(clients.adminProperties());
            Brokers.awaitReady(
                    client,
                    "the broker at " + clients.bootstrapServers(),
                    config.startTimeout().minusNanos(System.nanoTime() - startedAt));
            if (config.security().filter(ListenerSecurity::scram).isPresent()) {
                ScramUsers.create(
                        client,
                        config.security().orElseThrow(),
                        config.startTimeout().minusNanos(System.nanoTime() - startedAt));
            }
        } catch (RuntimeException e) {
            stopAfterFailure(client, started, e);
            if (temporaryLogDir) {
                try {
                    FileUtils.deleteDirectory(logDir.toFile());
                } catch (IOException deleting) {
                    e.addSuppressed(deleting);
                }
            }
            throw e instanceof EmbeddedKafkaException
                    ? e
                    : new EmbeddedKafkaException(
                            "could not start the in-JVM Kafka broker (log dir " + logDir + "): " + e.getMessage(), e);
        }
        this.server = started;
        this.admin = client;
        LOG.info(
                "In-JVM Kafka broker at {} ready in {} ms (log dir {})",
                bootstrapServers,
                millisSince(startedAt),
                logDir);
    }

    /** Starts a broker on a free port with a temporary log directory. */
    public static EmbeddedKafka start() {
        return start(EmbeddedKafkaConfig.defaults());
    }

    /**
     * Formats the log directory if needed, starts the broker, and returns once it answers.
     *
     * @throws EmbeddedKafkaException if a fixed port is taken, the log directory cannot be created or
     *     formatted, or the broker does not start within the configured timeout
     */
    public static EmbeddedKafka start(EmbeddedKafkaConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.port() != 0) {
            requireFree(config.port());
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return new EmbeddedKafka(config);
            } catch (EmbeddedKafkaException e) {
                if (attempt >= ATTEMPTS_ON_A_TAKEN_PORT || !portTaken(e)) {
                    throw e;
                }
                LOG.warn("A port picked for the in-JVM Kafka broker was taken before it bound it; trying again", e);
            }
        }
    }

    /**
     * The {@code bootstrap.servers} value for clients of this broker, {@code 127.0.0.1:port}: the client
     * listener, secured if {@link EmbeddedKafkaConfig#security()} says so (then clients need the matching
     * {@code KafkaSecurity}), and then not {@link #kafka()}'s.
     */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's log directory: the configured data directory, or the temporary one. */
    public Path logDir() {
        return logDir;
    }

    /**
     * Creates topics with replication factor 1 and {@code retention.ms=-1}, and waits until the leader of
     * every partition serves it (fathom-kafka's {@link Topics#create(Admin, int, String...)}).
     *
     * @throws IllegalArgumentException if {@code partitions} is below 1, or no name is given
     * @throws EmbeddedKafkaException if a topic already exists (cause {@code TopicExistsException}), the broker
     *     refuses one, or it is not served in time
     */
    public void createTopics(int partitions, String... names) {
        try {
            Topics.create(admin, partitions, names);
        } catch (FathomKafkaException e) {
            // the broker's own exception (TopicExistsException, ...) stays the cause
            throw new EmbeddedKafkaException(e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * How clients reach this broker through its plain-text listener: fathom-kafka's settings, from which every
     * client's properties come ({@code producerProperties()}, {@code consumerProperties(group)}, ...). Without
     * a secured listener this is the client listener, {@link #bootstrapServers()}; with one, it is the
     * loopback listener the broker keeps for itself (creating topics and users in tests).
     */
    public KafkaSettings kafka() {
        return clients;
    }

    /** Stops the broker and waits for it; deletes the log directory if it was a temporary one. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        RuntimeException failure = null;
        try {
            admin.close(ADMIN_CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        if (temporaryLogDir) {
            try {
                FileUtils.deleteDirectory(logDir.toFile());
            } catch (IOException e) {
                failure = addTo(failure, new EmbeddedKafkaException("could not delete " + logDir, e));
            }
        }
        if (failure != null) {
            throw new EmbeddedKafkaException(
                    "could not stop the in-JVM Kafka broker at " + bootstrapServers + " cleanly: "
                            + failure.getMessage(),
                    failure);
        }
        LOG.info("In-JVM Kafka broker at {} stopped", bootstrapServers);
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + ", " + logDir + "]";
    }

    private static Path createLogDir(EmbeddedKafkaConfig config) {
        try {
            if (config.dataDir().isPresent()) {
                return Files.createDirectories(config.dataDir().get());
            }
            return Files.createTempDirectory("fathom-kafka-");
        } catch (IOException e) {
            throw new EmbeddedKafkaException(
                    "could not create the Kafka log directory "
                            + config.dataDir().map(Path::toString).orElse("(temporary)") + ": " + e,
                    e);
        }
    }

    /**
     * Formats the log directory as Kafka's {@code kafka-storage.sh format --ignore-formatted} does: a new
     * cluster id and the latest production metadata version, or nothing if it is formatted already (then
     * with the cluster id it holds). The
     * tool's report goes to a stream that is thrown away: it must not reach the console.
     */
    private static void format(Properties props, Path logDir) {
        Path configFile = null;
        try {
            configFile = Files.createTempFile("fathom-kafka-", ".properties");
            try (Writer writer = Files.newBufferedWriter(configFile)) {
                props.store(writer, "fathom-embedded: the in-JVM broker's configuration, for StorageTool");
            }
            String[] args = {
                "format", "--config", configFile.toString(), "--cluster-id", clusterId(logDir), "--ignore-formatted"
            };
            int exitCode;
            try (PrintStream discard = new PrintStream(OutputStream.nullOutputStream())) {
                exitCode = StorageTool.execute(args, discard);
            }
            if (exitCode != 0) {
                throw new EmbeddedKafkaException(
                        "Kafka's storage tool could not format " + logDir + ": exit code " + exitCode);
            }
        } catch (EmbeddedKafkaException e) {
            throw e;
        } catch (Exception e) {
            throw new EmbeddedKafkaException("Kafka's storage tool could not format " + logDir + ": " + e, e);
        } finally {
            if (configFile != null) {
                try {
                    Files.deleteIfExists(configFile);
                } catch (IOException e) {
                    LOG.warn("Could not delete the temporary file {}", configFile, e);
                }
            }
        }
    }

    /**
     * The cluster id a formatted directory holds (the storage tool refuses to "ignore" a directory formatted
     * for another cluster), or a new one.
     */
    private static String clusterId(Path logDir) throws IOException {
        Path metaProperties = logDir.resolve("meta.properties");
        if (Files.isRegularFile(metaProperties)) {
            Properties meta = new Properties();
            try (Reader reader = Files.newBufferedReader(metaProperties)) {
                meta.load(reader);
            }
            String clusterId = meta.getProperty("cluster.id");
            if (clusterId != null && !clusterId.isBlank()) {
                return clusterId;
            }
        }
        return Uuid.randomUuid().toString();
    }

    /**
     * The client port (the given one, or a free one if 0), a free controller port, and a free port for the
     * plain-text listener a secured broker keeps.
     */
    private static int[] ports(int clientPort) {
        InetAddress host;
        try {
            host = InetAddress.getByName(BrokerProperties.HOST);
        } catch (IOException e) {
            throw new EmbeddedKafkaException("could not resolve " + BrokerProperties.HOST + ": " + e, e);
        }
        try (ServerSocket first = new ServerSocket(0, 1, host);
                ServerSocket second = new ServerSocket(0, 1, host);
                ServerSocket third = new ServerSocket(0, 1, host)) {
            return clientPort == 0
                    ? new int[] {first.getLocalPort(), second.getLocalPort(), third.getLocalPort()}
                    : new int[] {clientPort, first.getLocalPort(), second.getLocalPort()};
        } catch (IOException e) {
            throw new EmbeddedKafkaException("could not find a free port on " + BrokerProperties.HOST + ": " + e, e);
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(BrokerProperties.HOST))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new EmbeddedKafkaException(
                    "port " + port + " on " + BrokerProperties.HOST + " is not free for the Kafka broker: "
                            + e.getMessage(),
                    e);
        }
    }

    private static boolean portTaken(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private static void stopAfterFailure(Admin client, KafkaRaftServer server, RuntimeException failure) {
        if (client != null) {
            try {
                client.close(Duration.ZERO);
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
        if (server != null) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private static long millisSince(long startedAt) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
    }

    private static RuntimeException addTo(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
