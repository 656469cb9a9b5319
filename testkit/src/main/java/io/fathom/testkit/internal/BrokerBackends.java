package io.fathom.testkit.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses how to start a broker: in this JVM by default, in Docker only when asked and available. */
public final class BrokerBackends {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerBackends.class);

    private BrokerBackends() {}

    /** Starts a broker as the settings ask; falls back to the in-JVM broker when Docker does not answer. */
    public static BrokerBackend start(TestkitSettings settings) {
        // Check the setting before anything else: ContainerKafka is the only path that loads Testcontainers.
        if (settings.dockerRequested()) {
            if (ContainerKafka.dockerAvailable()) {
                return ContainerKafka.start();
            }
            LOG.warn(
                    "{}=true but no Docker engine answers; starting the in-JVM Kafka broker instead",
                    TestkitSettings.DOCKER_KEY);
        }
        return InJvmKafka.start();
    }

    /** Starts the in-JVM broker, whatever the settings say. */
    public static BrokerBackend startInJvm() {
        return InJvmKafka.start();
    }
}
