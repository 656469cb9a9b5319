package io.fathom.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.monitor.drift.DriftMethod;
import io.fathom.monitor.drift.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertStateMachineTest {
    static final AlertKey KEY = AlertKey.drift("user_txn", "amount_sum_1h", DriftMethod.PSI);
    static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    static final Duration WINDOW = Duration.ofMinutes(15);

    /** Runs verdicts written as letters (O ok, D drift, I insufficient) through a machine from OK. */
    static Run run(AlertStateMachine machine, String verdicts) {
        AlertState state = AlertState.initial(KEY);
        List<String> emitted = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        StringBuilder statuses = new StringBuilder();
        for (int i = 0; i < verdicts.length(); i++) {
            Verdict verdict =
                    switch (verdicts.charAt(i)) {
                        case 'O' -> Verdict.OK;
                        case 'D' -> Verdict.DRIFT;
                        case 'I' -> Verdict.INSUFFICIENT;
                        default -> throw new IllegalArgumentException(verdicts);
                    };
            AlertStateMachine.Step step = machine.step(state, verdict, i, windowEnd(i));
            state = step.state();
            statuses.append(state.status().name().charAt(0));
            step.alert().ifPresent(a -> {
                alerts.add(a);
                emitted.add(a.status().code());
            });
            if (step.alert().isEmpty()) {
                emitted.add("-");
            }
        }
        return new Run(statuses.toString(), String.join(" ", emitted), alerts, state);
    }

    record Run(String statuses, String emitted, List<Alert> alerts, AlertState state) {}

    static Instant windowEnd(int i) {
        return T0.plus(WINDOW.multipliedBy(i + 1));
    }

    @Test
    void defaultsFireOnTheSecondBreachAndResolveAfterTwoCleanWindows() {
        Run run = run(AlertStateMachine.DEFAULT, "ODDDOOO");
        // O: ok; D: pending; D: firing (emits); D: still firing; O: 1 clean; O: resolved (emits); O: ok
        assertThat(run.statuses()).isEqualTo("OPFFFOO");
        assertThat(run.emitted()).isEqualTo("- - firing - - resolved -");
        Alert firing = run.alerts().get(0);
        Alert resolved = run.alerts().get(1);
        assertThat(firing.startsAt()).isEqualTo(windowEnd(1)); // the first breach of the run
        assertThat(firing.endsAt()).isEmpty();
        assertThat(firing.value()).isEqualTo(2);
        assertThat(resolved.startsAt()).isEqualTo(firing.startsAt());
        assertThat(resolved.endsAt()).contains(windowEnd(5));
        assertThat(resolved.fingerprint()).isEqualTo(firing.fingerprint()).isEqualTo(KEY.fingerprint());
    }

    @Test
    void aSingleBreachOnlyPends() {
        assertThat(run(AlertStateMachine.DEFAULT, "DODODO").statuses()).isEqualTo("POPOPO");
        assertThat(run(AlertStateMachine.DEFAULT, "DODODO").alerts()).isEmpty();
    }

    @Test
    void aBreachWhileFiringRestartsTheCleanCount() {
        Run run = run(AlertStateMachine.DEFAULT, "DDODOO");
        assertThat(run.statuses()).isEqualTo("PFFFFO");
        assertThat(run.emitted()).isEqualTo("- firing - - - resolved");
    }

    @Test
    void insufficientWindowsNeitherBreachNorClear() {
        // Pending survives an insufficient window and the next breach fires.
        assertThat(run(AlertStateMachine.DEFAULT, "DIID").statuses()).isEqualTo("PPPF");
        // Firing is not resolved by insufficient windows, and they do not break the clean run.
        Run run = run(AlertStateMachine.DEFAULT, "DDIIIOIO");
        assertThat(run.statuses()).isEqualTo("PFFFFFFO");
        assertThat(run.emitted()).isEqualTo("- firing - - - - - resolved");
        // From OK, insufficient windows stay OK.
        assertThat(run(AlertStateMachine.DEFAULT, "III").statuses()).isEqualTo("OOO");
    }

    @Test
    void forOneFiresAtOnceAndResolveAfterOneResolvesAtOnce() {
        Run run = run(new AlertStateMachine(1, 1), "DODO");
        assertThat(run.statuses()).isEqualTo("FOFO");
        assertThat(run.emitted()).isEqualTo("firing resolved firing resolved");
    }

    @Test
    void longerForAndResolveAfter() {
        Run run = run(new AlertStateMachine(3, 3), "DDODDDOODOOO");
        assertThat(run.statuses()).isEqualTo("PPOPPFFFFFFO");
        assertThat(run.emitted()).isEqualTo("- - - - - firing - - - - - resolved");
        assertThat(run.alerts().get(0).startsAt()).isEqualTo(windowEnd(3));
    }

    @Test
    void theStateIsAValue() {
        AlertStateMachine.Step step = AlertStateMachine.DEFAULT.step(AlertState.initial(KEY), Verdict.DRIFT, 0.3, T0);
        assertThat(step.state()).isEqualTo(new AlertState(KEY, AlertState.Status.PENDING, 1, 0, Optional.of(T0), 0.3));
        assertThat(AlertStateMachine.DEFAULT.step(step.state(), Verdict.DRIFT, 0.3, T0))
                .isEqualTo(AlertStateMachine.DEFAULT.step(step.state(), Verdict.DRIFT, 0.3, T0));
    }

    @Test
    void fingerprintsAreStableAndDistinct() {
        // The first 16 hex digits of SHA-256("drift|user_txn|amount_sum_1h|psi"), as sha256sum prints it.
        assertThat(KEY.fingerprint()).isEqualTo("18088c8673331790");
        assertThat(KEY.fingerprint())
                .isNotEqualTo(AlertKey.drift("user_txn", "amount_sum_1h", DriftMethod.KS)
                        .fingerprint());
        assertThat(AlertKey.bias("fraud_v3", "gender", "disparate_impact_ratio").fingerprint())
                .isNotEqualTo(KEY.fingerprint());
        assertThatThrownBy(() -> AlertKey.drift("a|b", "c", DriftMethod.PSI)).hasMessageContaining("without '|'");
    }

    @Test
    void rulesAreChecked() {
        assertThatThrownBy(() -> new AlertStateMachine(0, 2)).hasMessage("forWindows must be at least 1, was 0");
        assertThatThrownBy(() -> new AlertStateMachine(2, 0)).hasMessage("resolveAfter must be at least 1, was 0");
    }
}
