package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadReplacementsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-07T00:00:00Z"));
    private final ThreadReplacements replacements = new ThreadReplacements(3, Duration.ofMinutes(10), now::get);

    @Test
    void allowsMaxFailuresWithinTheWindowAndRefusesTheNext() {
        assertThat(replacements.allow()).isTrue();
        now.set(now.get().plusSeconds(60));
        assertThat(replacements.allow()).isTrue();
        assertThat(replacements.allow()).isTrue();
        assertThat(replacements.allow()).as("a fourth within 10 minutes").isFalse();
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        replacements.allow();
        replacements.allow();
        replacements.allow();
        now.set(now.get().plus(Duration.ofMinutes(10)));
        assertThat(replacements.allow())
                .as("the first three are 10 minutes old")
                .isTrue();
        assertThat(replacements.recent()).isEqualTo(1);
    }

    @Test
    void noReplacementAtAllWithMaxZero() {
        assertThat(new ThreadReplacements(0, Duration.ofMinutes(1), now::get).allow())
                .isFalse();
    }

    @Test
    void rejectsABadWindowOrMax() {
        assertThatThrownBy(() -> new ThreadReplacements(-1, Duration.ofMinutes(1), now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max must be >= 0, was -1");
        assertThatThrownBy(() -> new ThreadReplacements(1, Duration.ZERO, now::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("window must be positive");
    }
}
