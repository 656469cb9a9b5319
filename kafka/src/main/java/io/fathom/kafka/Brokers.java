package io.fathom.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** Waiting for a cluster to answer. */
public final class Brokers {
    private Brokers() {}

    /**
     * Returns once {@code describeCluster} through {@code admin} lists a broker, polling every 20 ms in the
     * calling thread; asks at least once, even with a zero timeout.
     *
     * @param brokers who is waited for, for the message: e.g. "the broker at 127.0.0.1:9092"
     * @throws FathomKafkaException if no broker answers within {@code timeout} (the last failure chained)
     */
    public static void awaitReady(Admin admin, String brokers, Duration timeout) {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(timeout, "timeout");
        Poll.until(
                brokers + " to answer describeCluster",
                System.nanoTime(),
                timeout.isNegative() ? Duration.ZERO : timeout,
                remaining -> !admin.describeCluster()
                        .nodes()
                        .get(remaining.toMillis(), TimeUnit.MILLISECONDS)
                        .isEmpty());
    }
}
