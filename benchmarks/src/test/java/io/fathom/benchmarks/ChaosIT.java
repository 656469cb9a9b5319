package io.fathom.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of issue 12 ({@link ChaosSettings#quick}): the broker, Redis and four packaged {@code fathom
 * run} processes; three SIGKILLs under load (ingest, the online writer and the offline writer, in a random order), a
 * brief Redis outage and a broker bounce; then nothing lost, nothing duplicated, the dead-letter topic holding
 * exactly the bad events, and online reads answered 503 while Redis was down, in under a second at the median. The
 * full run is {@code ./benchmarks/run chaos}. Runs after the app is packaged (failsafe, after {@code package}); its
 * files and logs stay in {@code target/chaos-it}.
 */
class ChaosIT {
    @Test
    void killsABrokerBounceAndARedisOutageUnderLoadLoseAndDuplicateNothing() throws Exception {
        ChaosHarness.Outcome outcome = ChaosHarness.run(ChaosSettings.quick(Path.of("target", "chaos-it")));
        ChaosVerifier.Verdict verdict = outcome.verdict();

        assertThat(outcome.cycles()).isEqualTo(3);
        assertThat(outcome.kills())
                .containsOnlyKeys("ingest", "online-writer", "offline-writer")
                .allSatisfy(
                        (component, kills) -> assertThat(kills).as(component).isOne());
        assertThat(outcome.brokerBounces()).isOne();
        assertThat(outcome.redisOutages()).isOne();
        assertThat(verdict.goodEvents()).as("events ingested").isGreaterThan(5_000);
        assertThat(verdict.badEvents()).as("bad events mixed in").isGreaterThan(50);
        assertThat(verdict.examples()).as("what the verifier found").isEmpty();
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.duplicated()).isZero();
        assertThat(verdict.dlqMismatch()).isZero();
        assertThat(verdict.onlineSumMismatch() + verdict.offlineLastMismatch()).isZero();
        assertThat(outcome.outageReads()).isPositive();
        assertThat(outcome.outageReadsNot503())
                .as("reads while Redis was down not answered 503")
                .isZero();
        assertThat(outcome.outageReadMaxMillis())
                .as("slowest read while Redis was down, ms")
                .isLessThan(1_000);
        assertThat(outcome.unexpectedExits())
                .as("components that exited by themselves")
                .isZero();
    }
}
