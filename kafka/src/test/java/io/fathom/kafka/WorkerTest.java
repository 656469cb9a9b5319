package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

class WorkerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A loop blocked like a consumer's poll: until woken up, when it throws what a consumer throws. */
    private static final class BlockingLoop {
        final CountDownLatch wakeUp = new CountDownLatch(1);
        final CountDownLatch running = new CountDownLatch(1);

        void run() throws InterruptedException {
            running.countDown();
            wakeUp.await();
            throw new WakeupException();
        }
    }

    @Test
    void runsFromStartUntilStoppedAndJoined() throws Exception {
        BlockingLoop loop = new BlockingLoop();
        Worker worker = new Worker("test-worker", loop::run, loop.wakeUp::countDown);
        assertThat(worker.state()).isEqualTo(Worker.State.NEW);

        worker.start();
        assertThat(worker.state()).isEqualTo(Worker.State.RUNNING);
        assertThat(loop.running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(worker.stopRequested()).isFalse();

        worker.stop();
        assertThat(worker.join(WAIT)).isTrue();
        assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
        assertThat(worker.failure()).isEmpty();
        assertThat(worker.stopRequested()).isTrue();
    }

    @Test
    void aLoopThatReturnsOnItsOwnStops() throws Exception {
        Worker worker = new Worker("returns", () -> {}, () -> {});
        worker.start();

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    }

    @Test
    void aFailureIsKeptAndTheStateIsFailed() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Worker worker = new Worker(
                "fails",
                () -> {
                    throw boom;
                },
                () -> {});
        worker.start();

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(worker.state()).isEqualTo(Worker.State.FAILED);
        assertThat(worker.failure()).containsSame(boom);
    }

    @Test
    void aWakeUpNobodyAskedForIsAFailure() throws Exception {
        BlockingLoop loop = new BlockingLoop();
        Worker worker = new Worker("woken", loop::run, () -> {});
        worker.start();
        assertThat(loop.running.await(10, TimeUnit.SECONDS)).isTrue();

        loop.wakeUp.countDown();

        await().atMost(WAIT).until(() -> worker.state() == Worker.State.FAILED);
        assertThat(worker.failure()).containsInstanceOf(WakeupException.class);
    }

    @Test
    void anInterruptAfterStopEndsAnInterruptibleWait() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Worker worker = new Worker("sleeps", never::await, () -> {});
        worker.start();

        worker.stop();
        worker.interrupt();

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(worker.state()).isEqualTo(Worker.State.STOPPED);
    }

    @Test
    void startsOnce() {
        Worker worker = new Worker("once", () -> {}, () -> {});
        worker.start();

        assertThatThrownBy(worker::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("once");
    }
}
