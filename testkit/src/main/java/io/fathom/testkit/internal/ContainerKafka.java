package io.fathom.testkit.internal;

import io.fathom.testkit.TestkitException;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Kafka broker in Docker ({@code apache/kafka} image, KRaft, one node) through Testcontainers.
 *
 * <p>Only {@link BrokerBackends} refers to this class, and only after the user asked for Docker, so that
 * runs without Docker never load a Testcontainers class.
 */
final class ContainerKafka implements BrokerBackend {

    /** Same Kafka version as the clients on the classpath. */
    static final DockerImageName IMAGE = DockerImageName.parse("apache/kafka:4.3.1");

    private final KafkaContainer container;

    private ContainerKafka(KafkaContainer container) {
        this.container = container;
    }

    /** Whether a Docker engine answers; asks Testcontainers, which caches the answer for the JVM. */
    static boolean dockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static BrokerBackend start() {
        // The image's defaults already set the offsets and transaction-log replication to 1 and the
        // initial rebalance delay to 0; these match the in-JVM broker's (fathom-embedded's) remaining settings.
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_LOG_RETENTION_MS", "-1");
        try {
            container.start();
            return new ContainerKafka(container);
        } catch (RuntimeException e) {
            try {
                container.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw new TestkitException("could not start a Kafka container from " + IMAGE + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Kafka container " + IMAGE + " at " + bootstrapServers();
    }

    @Override
    public void close() {
        container.close();
    }
}
