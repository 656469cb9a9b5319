package io.fathom.kafka;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.KafkaException;

/**
 * Polls a condition in the calling thread until it holds or a deadline passes: what Awaitility does in the
 * tests, without a test library in the product. An attempt that fails with an admin client's
 * {@link ExecutionException}, a {@link TimeoutException} or a {@link KafkaException} counts as "not yet";
 * the last such failure is chained to the timeout's exception. A rejected login or TLS handshake ({@code
 * AuthenticationException}) or a denied operation ({@code AuthorizationException}, see {@link KafkaFailures}) is not "not yet": it
 * fails at once, since asking again cannot change the answer.
 */
final class Poll {
    private static final long INTERVAL_NANOS = Duration.ofMillis(20).toNanos();
    /** The time an attempt gets when the deadline has passed already: one quick request. */
    private static final long MIN_ATTEMPT_NANOS = Duration.ofMillis(500).toNanos();

    /** One attempt; {@code remaining} is the time left before the deadline, for the attempt's own waits. */
    @FunctionalInterface
    interface Attempt {
        boolean succeeded(Duration remaining) throws Exception;
    }

    private Poll() {}

    /**
     * Returns once {@code attempt} returns {@code true}; tries at least once, even past the deadline.
     *
     * @param awaited what is waited for, as it reads after "waiting for", e.g. "the broker to answer"
     * @param startedAt the {@link System#nanoTime()} the {@code timeout} counts from
     * @throws FathomKafkaException on timeout or interrupt, or if an attempt throws anything else
     */
    static void until(String awaited, long startedAt, Duration timeout, Attempt attempt) {
        long deadline = startedAt + timeout.toNanos();
        Throwable lastFailure = null;
        boolean tried = false;
        while (true) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 && tried) {
                throw new FathomKafkaException(
                        "timed out after " + timeout + " waiting for " + awaited
                                + (lastFailure == null ? "" : "; last attempt failed: " + lastFailure),
                        lastFailure);
            }
            tried = true;
            try {
                if (attempt.succeeded(Duration.ofNanos(Math.max(remaining, MIN_ATTEMPT_NANOS)))) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FathomKafkaException("interrupted while waiting for " + awaited, e);
            } catch (ExecutionException e) {
                lastFailure = refusedAtOnce(awaited, e.getCause() == null ? e : e.getCause());
            } catch (TimeoutException | KafkaException e) {
                lastFailure = refusedAtOnce(awaited, e);
            } catch (Exception e) {
                throw new FathomKafkaException("failed while waiting for " + awaited + ": " + e, e);
            }
            LockSupport.parkNanos(Math.min(INTERVAL_NANOS, Math.max(0, deadline - System.nanoTime())));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new FathomKafkaException("interrupted while waiting for " + awaited);
            }
        }
    }

    /** The failure, unless Kafka refused the client's credentials or rights: then a {@link FathomKafkaException}. */
    private static Throwable refusedAtOnce(String awaited, Throwable failure) {
        if (KafkaFailures.refusal(failure).isPresent()) {
            throw new FathomKafkaException(
                    "Kafka refused the client while waiting for " + awaited + ": " + KafkaFailures.describe(failure),
                    failure);
        }
        return failure;
    }
}
