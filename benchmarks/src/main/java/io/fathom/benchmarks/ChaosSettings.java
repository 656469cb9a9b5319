package io.fathom.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What one chaos run does: how many kill cycles, how much load over how many users, how long between kills and
 * how long a killed component stays down, how long Redis is down, whether the broker is bounced, the seed of
 * every random choice, where the run's files and logs go, and how long the system gets to catch up at the end.
 *
 * @param cycles kill cycles: each SIGKILLs one of ingest, the online writer, the offline writer (a random order,
 *     each of them once in every three cycles)
 * @param users the entities (users) the events spread over
 * @param eventsPerSecond the producer's rate, held over the whole run
 * @param killGapMin the least time between two kills (random up to {@code killGapMax})
 * @param pauseMin the least time a killed component stays down (random up to {@code pauseMax})
 * @param redisOutage how long Redis is stopped once, under load; zero for none
 * @param brokerBounce whether the broker's JVM is SIGKILLed once, mid-load, and restarted on its port and data
 * @param seed the seed of the events and of the schedule
 * @param work the run's directory (broker data, configurations, component data and logs); emptied first
 * @param catchUp how long the components get, after the producer stops, to apply everything
 */
record ChaosSettings(
        int cycles,
        int users,
        int eventsPerSecond,
        Duration killGapMin,
        Duration killGapMax,
        Duration pauseMin,
        Duration pauseMax,
        Duration redisOutage,
        boolean brokerBounce,
        long seed,
        Path work,
        Duration catchUp) {
    ChaosSettings {
        if (cycles < 0) {
            throw new IllegalArgumentException("cycles must be >= 0, was " + cycles);
        }
        if (users < 1 || eventsPerSecond < 10) {
            throw new IllegalArgumentException(
                    "users must be >= 1 and eventsPerSecond >= 10, were " + users + ", " + eventsPerSecond);
        }
        if (killGapMax.compareTo(killGapMin) < 0 || pauseMax.compareTo(pauseMin) < 0) {
            throw new IllegalArgumentException("a maximum below its minimum: kill gap " + killGapMin + ".." + killGapMax
                    + ", pause " + pauseMin + ".." + pauseMax);
        }
        Objects.requireNonNull(redisOutage, "redisOutage");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(catchUp, "catchUp");
    }

    /** The benchmark's run: {@code cycles} kills 15-30 s apart, 3,000 users at 300 events/s, Redis down 30 s. */
    static ChaosSettings full(int cycles, Path work) {
        return new ChaosSettings(
                cycles,
                3_000,
                300,
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                true,
                20261207L,
                work,
                Duration.ofMinutes(6));
    }

    /**
     * The test suite's run: 3 kills (one of each component) 10-14 s apart, 500 users at 150 events/s, Redis down
     * 8 s, a broker bounce.
     */
    static ChaosSettings quick(Path work) {
        return new ChaosSettings(
                3,
                500,
                150,
                Duration.ofSeconds(10),
                Duration.ofSeconds(14),
                Duration.ofSeconds(1),
                Duration.ofSeconds(3),
                Duration.ofSeconds(8),
                true,
                7L,
                work,
                Duration.ofMinutes(4));
    }
}
