package io.fathom.testkit;

import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.KafkaSettings;
import io.fathom.kafka.Topics;
import io.fathom.testkit.internal.BrokerBackend;
import io.fathom.testkit.internal.BrokerBackends;
import io.fathom.testkit.internal.TestkitSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handle on a real, running Kafka broker for tests.
 *
 * <p>By default the broker is a single-node KRaft broker inside this JVM, on an ephemeral port, that
 * needs no Docker. With {@code FATHOM_TESTKIT_DOCKER=true} (system property or environment variable) and a
 * Docker engine that answers, it is an {@code apache/kafka} container instead.
 *
 * <p>In JUnit 5 tests, prefer {@link KafkaExtension}, which shares one broker across the whole run; a
 * broker injected by the extension must not be closed by a test.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);

    private final BrokerBackend backend;
    private final KafkaSettings clients;
    private final Admin admin;

    private KafkaBroker(BrokerBackend backend) {
        this.backend = backend;
        try {
            this.clients = KafkaSettings.builder()
                    .bootstrapServers(backend.bootstrapServers())
                    .build();
            this.admin = Admin.create(clients.adminProperties());
        } catch (RuntimeException e) {
            closeAfterFailure(backend, e);
            throw new TestkitException("could not create an admin client for the " + backend.description(), e);
        }
    }

    /**
     * Starts a broker: in this JVM, or in Docker when {@code FATHOM_TESTKIT_DOCKER=true} and a Docker
     * engine answers.
     */
    public static KafkaBroker start() {
        return start(() -> BrokerBackends.start(TestkitSettings.fromEnvironment()));
    }

    /** Starts a broker in this JVM, whatever {@code FATHOM_TESTKIT_DOCKER} says. */
    public static KafkaBroker startInJvm() {
        return start(BrokerBackends::startInJvm);
    }

    private static KafkaBroker start(Supplier<BrokerBackend> starter) {
        long startedAt = System.nanoTime();
        KafkaBroker broker = new KafkaBroker(starter.get());
        LOG.info(
                "Started {} in {} ms",
                broker.backend.description(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return broker;
    }

    /** The {@code bootstrap.servers} value for clients of this broker. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /**
     * Creates topics with the given number of partitions, replication factor 1 and {@code retention.ms=-1}
     * (records with old event timestamps are never deleted), and waits until the leader of every partition
     * serves it (fathom-kafka's {@link Topics#create(Admin, int, String...)}, whichever the back-end).
     *
     * @throws TestkitException if a topic already exists, the broker refuses it, or the arguments are invalid
     */
    public void createTopics(int partitions, String... names) {
        try {
            Topics.create(admin, partitions, names);
        } catch (FathomKafkaException | IllegalArgumentException e) {
            throw new TestkitException(e.getMessage() + " (" + backend.description() + ")", e);
        }
    }

    /**
     * How clients reach this broker: fathom-kafka's settings, from which every client's properties come
     * ({@code producerProperties()}, {@code consumerProperties(group)}, ...).
     */
    public KafkaSettings kafka() {
        return clients;
    }

    /** Stops the broker and deletes its data. */
    @Override
    public void close() {
        try {
            admin.close(Duration.ofSeconds(5));
        } finally {
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + backend.description() + "]";
    }

    private static void closeAfterFailure(BrokerBackend backend, RuntimeException failure) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
