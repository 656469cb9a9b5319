package io.fathom.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

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

    /**
     * Asks the cluster once, with {@code kafka}'s admin settings, whether it takes these clients: a wrong
     * password, an untrusted certificate or a missing ACL fails here, at start, with one message naming the
     * problem, instead of in every component's thread. A cluster that does not answer within {@code timeout}
     * is not an error here: the components wait for it themselves.
     *
     * @throws FathomKafkaException if Kafka refused the client (see {@link KafkaFailures})
     */
    public static void checkAccess(KafkaSettings kafka, Duration timeout) {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(timeout, "timeout");
        Admin admin = Admin.create(kafka.adminProperties());
        try {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FathomKafkaException("interrupted while checking access to Kafka at " + kafka.description(), e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            KafkaFailures.refusal(e).ifPresent(refusal -> {
                throw new FathomKafkaException(
                        "Kafka at " + kafka.description() + " refused the client: " + KafkaFailures.describe(refusal),
                        refusal);
            });
        } finally {
            admin.close(Duration.ZERO); // a request still waiting for a broker that never answered: dropped
        }
    }
}
