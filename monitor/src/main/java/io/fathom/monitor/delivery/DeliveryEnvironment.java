package io.fathom.monitor.delivery;

import io.fathom.schemas.RecordComponents;
import java.time.Clock;
import java.util.Random;

/**
 * What delivery takes from its surroundings, injected so tests run without waiting or resolving: the
 * clock (for {@code webhook-timestamp} and {@code Retry-After} dates), the sleeper (for backoff), the
 * random source (for jitter) and the address guard.
 */
public record DeliveryEnvironment(Clock clock, Sleeper sleeper, Random random, EndpointGuard guard) {
    public DeliveryEnvironment {
        RecordComponents.requireNonNull(DeliveryEnvironment.class, clock, sleeper, random, guard);
    }

    /** The system clock, real sleeps, a new {@link Random}, the system resolver. */
    public static DeliveryEnvironment system() {
        return new DeliveryEnvironment(Clock.systemUTC(), Sleeper.SYSTEM, new Random(), EndpointGuard.system());
    }

    public DeliveryEnvironment withClock(Clock newClock) {
        return new DeliveryEnvironment(newClock, sleeper, random, guard);
    }

    public DeliveryEnvironment withSleeper(Sleeper newSleeper) {
        return new DeliveryEnvironment(clock, newSleeper, random, guard);
    }

    public DeliveryEnvironment withRandom(Random newRandom) {
        return new DeliveryEnvironment(clock, sleeper, newRandom, guard);
    }

    public DeliveryEnvironment withGuard(EndpointGuard newGuard) {
        return new DeliveryEnvironment(clock, sleeper, random, newGuard);
    }
}
