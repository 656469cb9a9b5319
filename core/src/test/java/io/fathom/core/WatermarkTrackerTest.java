package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.BruteForce;
import io.fathom.testkit.BruteForce.Arrival;
import io.fathom.testkit.BruteForce.Look;
import io.fathom.testkit.BruteForce.TaskInput;
import io.fathom.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WatermarkTrackerTest {
    private static final long START = 1_800_000_000_000L;
    private static final long T0 = 1_764_000_000_000L;
    private static final long MINUTE = 60_000;
    private static final Duration IDLE = Duration.ofMinutes(1);
    private static final long NONE = Long.MIN_VALUE;

    private final MutableClock clock = new MutableClock(START);

    @Test
    void isTheSmallestOfThePartitionsGreatestEventTimes() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 3, clock, NONE);

        assertThat(tracker.observe(0, T0 + 30 * MINUTE))
                .as("partitions 1 and 2 not heard from")
                .isEqualTo(NONE);
        assertThat(tracker.observe(1, T0)).isEqualTo(NONE);
        assertThat(tracker.observe(2, T0 + 5 * MINUTE)).isEqualTo(T0);
        assertThat(tracker.observe(1, T0 + 2 * MINUTE)).isEqualTo(T0 + 2 * MINUTE);
        assertThat(tracker.observe(1, T0 - 9 * MINUTE))
                .as("an older event does not lower its partition's greatest")
                .isEqualTo(T0 + 2 * MINUTE);
        assertThat(tracker.observe(1, T0 + 40 * MINUTE)).isEqualTo(T0 + 5 * MINUTE);
    }

    @Test
    void aPartitionSilentForTheIdleTimeoutIsLeftOutUntilItSendsAgain() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 2, clock, NONE);
        tracker.observe(0, T0);
        assertThat(tracker.observe(1, T0)).isEqualTo(T0);

        clock.advance(30_000);
        assertThat(tracker.observe(0, T0 + 20 * MINUTE))
                .as("partition 1 sent 30 s ago")
                .isEqualTo(T0);
        clock.advance(29_999);
        assertThat(tracker.watermark()).as("59.999 s").isEqualTo(T0);
        clock.advance(1);
        assertThat(tracker.watermark()).as("a minute: partition 1 is idle").isEqualTo(T0 + 20 * MINUTE);
        assertThat(tracker.observe(0, T0 + 40 * MINUTE)).isEqualTo(T0 + 40 * MINUTE);

        clock.advance(1_000);
        assertThat(tracker.observe(1, T0 + 25 * MINUTE))
                .as("back from idleness, behind: the watermark does not go back")
                .isEqualTo(T0 + 40 * MINUTE);
        assertThat(tracker.observe(0, T0 + 60 * MINUTE))
                .as("and it holds the watermark again")
                .isEqualTo(T0 + 40 * MINUTE);
        assertThat(tracker.observe(1, T0 + 50 * MINUTE)).isEqualTo(T0 + 50 * MINUTE);
    }

    @Test
    void knownPartitionsNotHeardFromHoldItBackForTheIdleTimeout() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 4, clock, NONE);
        clock.advance(59_999);
        assertThat(tracker.observe(2, T0)).isEqualTo(NONE);
        clock.advance(1);
        assertThat(tracker.observe(2, T0 + 1)).as("the others never sent: idle").isEqualTo(T0 + 1);
    }

    @Test
    void withoutThePartitionCountItWaitsTheIdleTimeoutBeforeMoving() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 0, clock, NONE);
        assertThat(tracker.observe(0, T0)).isEqualTo(NONE);
        clock.advance(59_999);
        assertThat(tracker.observe(5, T0 + MINUTE)).isEqualTo(NONE);
        clock.advance(1);
        assertThat(tracker.watermark())
                .as("partition 0 idle now; 5 sent 1 ms ago")
                .isEqualTo(T0 + MINUTE);
        assertThat(tracker.observe(0, T0 + 2 * MINUTE)).isEqualTo(T0 + MINUTE);
        assertThat(tracker.observe(5, T0 + 3 * MINUTE)).isEqualTo(T0 + 2 * MINUTE);
    }

    @Test
    void startsFromTheRestoredWatermarkAndNeverGoesBelowIt() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 1, clock, T0 + 60 * MINUTE);
        assertThat(tracker.watermark()).isEqualTo(T0 + 60 * MINUTE);
        assertThat(tracker.observe(0, T0 + 45 * MINUTE)).isEqualTo(T0 + 60 * MINUTE);
        assertThat(tracker.observe(0, T0 + 61 * MINUTE)).isEqualTo(T0 + 61 * MINUTE);
    }

    @Test
    void withEveryPartitionIdleItStays() {
        WatermarkTracker tracker = new WatermarkTracker(IDLE, 2, clock, NONE);
        tracker.observe(0, T0 + MINUTE);
        tracker.observe(1, T0);
        clock.advance(Duration.ofHours(1));
        assertThat(tracker.watermark()).isEqualTo(T0);
    }

    @Test
    void rejectsANonPositiveIdleTimeoutAndANegativePartitionCount() {
        assertThatThrownBy(() -> new WatermarkTracker(Duration.ZERO, 1, clock, NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idle timeout");
        assertThatThrownBy(() -> new WatermarkTracker(IDLE, -1, clock, NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    /**
     * Random arrivals from a few partitions, minutes apart by the clock or not, in event times that wander, and looks
     * between them: each time, the tracker says what the testkit's brute force works out from scratch.
     */
    @Test
    void equalsTheBruteForceOverRandomArrivals() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            int partitions = random.nextInt(5);
            long restored = random.nextInt(4) == 0 ? T0 + random.nextInt(20) * MINUTE : NONE;
            MutableClock clock = new MutableClock(START);
            WatermarkTracker tracker = new WatermarkTracker(IDLE, partitions, clock, restored);
            List<TaskInput> inputs = new ArrayList<>();
            long[] eventTime = {T0, T0, T0, T0, T0, T0};
            for (int i = 0; i < 60; i++) {
                clock.advance(random.nextInt(4) == 0 ? random.nextInt(90_000) : random.nextInt(2_000));
                long got;
                if (random.nextInt(5) == 0) {
                    inputs.add(new Look(clock.millis()));
                    got = tracker.watermark();
                } else {
                    int partition = random.nextInt(Math.max(partitions, 1) + 1);
                    eventTime[partition] += random.nextInt(6 * (int) MINUTE) - 2 * MINUTE;
                    inputs.add(new Arrival(partition, eventTime[partition], clock.millis()));
                    got = tracker.observe(partition, eventTime[partition]);
                }
                assertThat(got)
                        .as("seed %d, after %s", seed, inputs)
                        .isEqualTo(BruteForce.watermark(inputs, partitions, START, IDLE, restored));
            }
        }
    }
}
