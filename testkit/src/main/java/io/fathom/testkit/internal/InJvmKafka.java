package io.fathom.testkit.internal;

import io.fathom.embedded.EmbeddedKafka;
import io.fathom.embedded.EmbeddedKafkaException;
import io.fathom.testkit.TestkitException;

/**
 * A single-node KRaft broker (combined broker and controller) running in this JVM, on a free port and a
 * temporary log directory that is deleted on close: {@code fathom-embedded}'s {@link EmbeddedKafka}, the
 * broker {@code fathom demo} runs on, with its settings for consumer groups and exactly-once.
 */
final class InJvmKafka implements BrokerBackend {
    private final EmbeddedKafka kafka;

    private InJvmKafka(EmbeddedKafka kafka) {
        this.kafka = kafka;
    }

    /** Formats, starts and waits for a fresh broker. */
    static BrokerBackend start() {
        try {
            return new InJvmKafka(EmbeddedKafka.start());
        } catch (EmbeddedKafkaException e) {
            throw new TestkitException("could not start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker at " + bootstrapServers();
    }

    @Override
    public void close() {
        try {
            kafka.close();
        } catch (EmbeddedKafkaException e) {
            throw new TestkitException("could not stop the " + description() + ": " + e.getMessage(), e);
        }
    }
}
