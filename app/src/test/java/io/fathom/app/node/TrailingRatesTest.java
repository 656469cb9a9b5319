package io.fathom.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fathom.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrailingRatesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final TrailingRates rates = new TrailingRates(clock, Duration.ofSeconds(60), Map.of("a", 100.0));

    @Test
    void theFirstCallAnswersWithTheRateSinceStartAndNothingBeforeTimePasses() {
        assertThat(rates.rates(Map.of("a", 100.0))).isEmpty();

        clock.advance(Duration.ofSeconds(10));
        Map<String, Double> first = rates.rates(Map.of("a", 600.0, "b", 30.0));

        assertThat(first.get("a")).isCloseTo(50.0, within(1e-9));
        assertThat(first.get("b")).as("a key new since start counts from 0").isCloseTo(3.0, within(1e-9));
    }

    @Test
    void ratesFollowTheLastMinuteNotTheWholeRun() {
        double count = 100;
        // 10/s for five minutes, sampled every 5 s as a page would
        for (int i = 0; i < 60; i++) {
            clock.advance(Duration.ofSeconds(5));
            count += 50;
            rates.rates(Map.of("a", count));
        }
        // then 100/s for 90 s
        Map<String, Double> now = null;
        for (int i = 0; i < 18; i++) {
            clock.advance(Duration.ofSeconds(5));
            count += 500;
            now = rates.rates(Map.of("a", count));
        }
        assertThat(now.get("a")).isCloseTo(100.0, within(1e-9));
    }

    @Test
    void withinTheFirstMinuteRatesAreMeasuredFromStartHoweverOftenAsked() {
        for (int i = 1; i < 1_000; i++) {
            clock.advance(Duration.ofMillis(10));
            rates.rates(Map.of("a", 100.0 + i));
        }
        clock.advance(Duration.ofMillis(10));
        // 10 s in, one count per 10 ms since the first sample
        assertThat(rates.rates(Map.of("a", 1_100.0)).get("a")).isCloseTo(100.0, within(1e-9));
    }
}
