package io.fathom.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.FathomKafkaException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KafkaWaitTest {
    @Test
    void aStartThatTimedOutIsTriedAgainUntilKafkaAnswers() {
        AtomicInteger attempts = new AtomicInteger();

        String started = KafkaWait.start("ingest", "127.0.0.1:9092", () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException(
                        "ingest could not start",
                        new FathomKafkaException(
                                "topic fathom.dlq was not created within PT30S", new TimeoutException()));
            }
            return "started";
        });

        assertThat(started).isEqualTo("started");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void anyOtherFailureIsThrownAtOnce() {
        AtomicInteger attempts = new AtomicInteger();

        assertThatThrownBy(() -> KafkaWait.start("ingest", "127.0.0.1:9092", () -> {
                    attempts.incrementAndGet();
                    throw new FathomKafkaException("topic t has 2 partitions, expected 4");
                }))
                .isInstanceOf(FathomKafkaException.class)
                .hasMessage("topic t has 2 partitions, expected 4");
        assertThat(attempts).hasValue(1);
    }
}
