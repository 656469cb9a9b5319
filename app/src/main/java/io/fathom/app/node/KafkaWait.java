package io.fathom.app.node;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a Kafka component, waiting for Kafka when it does not answer in time: a broker that is down, restarting or
 * too busy to create or describe the component's topics within their timeout makes the start throw with a timeout
 * among its causes, and the start is tried again every {@link #RETRY}, the wait logged once, as the node waits for
 * missing source topics and for Redis. Without it a {@code fathom run} started (or restarted) during a broker bounce
 * exited. Any other failure (a refused password, a topic with the wrong partitions) is thrown at once.
 */
final class KafkaWait {
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWait.class);

    private KafkaWait() {}

    static <T> T start(String component, String kafka, Supplier<T> start) {
        boolean logged = false;
        while (true) {
            try {
                T started = start.get();
                if (logged) {
                    LOG.info("{}: Kafka at {} answered; started", component, kafka);
                }
                return started;
            } catch (RuntimeException e) {
                if (!timedOut(e)) {
                    throw e;
                }
                if (!logged) {
                    LOG.warn(
                            "{}: waiting for Kafka at {} ({}); trying again every {} s",
                            component,
                            kafka,
                            e.getMessage(),
                            RETRY.toSeconds());
                    logged = true;
                }
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(component + ": interrupted while waiting for Kafka at " + kafka, e);
            }
        }
    }

    /** Whether a timeout (Java's or Kafka's) is among the causes. */
    static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
