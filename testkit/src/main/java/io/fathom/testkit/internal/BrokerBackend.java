package io.fathom.testkit.internal;

/**
 * A running Kafka broker, however it was started. {@link io.fathom.testkit.KafkaBroker} builds the
 * client-facing API (topics, client properties) on top of the bootstrap address alone.
 */
public interface BrokerBackend extends AutoCloseable {

    /** {@code host:port[,host:port]} of the broker's client listener. */
    String bootstrapServers();

    /** A short human-readable description, for logs and error messages. */
    String description();

    /** Stops the broker and deletes its data; never throws a checked exception. */
    @Override
    void close();
}
