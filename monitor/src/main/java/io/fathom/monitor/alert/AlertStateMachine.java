package io.fathom.monitor.alert;

import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.MonitorDefinition;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-alert state machine of docs/semantics.md ("Drift statistics"), as a pure function from a state
 * and one window's verdict to the next state and at most one transition:
 *
 * <pre>
 *            breach (for = 1)                       clean x resolve_after
 *   OK ─────────────────────────────> FIRING ────────────────────────────────> OK   [resolved]
 *    │ breach          ^   [firing]     │ breach: clean count back to 0
 *    v                 │ breach x for
 *  PENDING ────────────┘
 *    │ clean
 *    v
 *   OK
 * </pre>
 *
 * OK becomes PENDING on a breach; PENDING becomes FIRING after {@code for} consecutive breaches and
 * emits {@code firing}, or falls back to OK on a clean window; FIRING stays until {@code resolve_after}
 * consecutive clean windows, then emits {@code resolved} and is OK again. With {@code for = 1} the
 * first breach fires at once.
 *
 * <p><b>Insufficient windows</b> change nothing: they count neither as a breach nor as clean, and do
 * not break a run. A window too small to judge is no evidence either way, so a quiet night neither
 * resolves a firing alert nor resets a pending one; "consecutive" means consecutive among judged
 * windows.
 *
 * @param forWindows consecutive breaches before firing (YAML {@code for}, default 2)
 * @param resolveAfter consecutive clean windows before resolving (YAML {@code resolve_after}, default 2)
 */
public record AlertStateMachine(int forWindows, int resolveAfter) {
    /** The defaults: {@code for} 2, {@code resolve_after} 2. */
    public static final AlertStateMachine DEFAULT =
            new AlertStateMachine(MonitorDefinition.DEFAULT_FOR_WINDOWS, MonitorDefinition.DEFAULT_RESOLVE_AFTER);

    public AlertStateMachine {
        if (forWindows < 1) {
            throw new IllegalArgumentException("forWindows must be at least 1, was " + forWindows);
        }
        if (resolveAfter < 1) {
            throw new IllegalArgumentException("resolveAfter must be at least 1, was " + resolveAfter);
        }
    }

    /** The machine of a monitor's {@code for} and {@code resolve_after}. */
    public static AlertStateMachine of(MonitorDefinition monitor) {
        return new AlertStateMachine(monitor.forWindows(), monitor.resolveAfter());
    }

    /** The next state, and the transition it emits if any. */
    public record Step(AlertState state, Optional<Alert> alert) {
        public Step {
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(alert, "alert");
        }
    }

    /**
     * Applies one window's verdict.
     *
     * @param state the alert's state before the window
     * @param verdict the window's verdict
     * @param value the window's score, kept in the state and carried by a transition
     * @param windowEnd the end of the window, which dates {@code startsAt} and {@code endsAt}
     */
    public Step step(AlertState state, Verdict verdict, double value, Instant windowEnd) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(windowEnd, "windowEnd");
        if (verdict == Verdict.INSUFFICIENT) {
            return new Step(state, Optional.empty());
        }
        boolean breach = verdict == Verdict.DRIFT;
        AlertKey key = state.key();
        return switch (state.status()) {
            case OK, PENDING -> {
                if (!breach) {
                    yield new Step(AlertState.initial(key).withValue(value), Optional.empty());
                }
                int breaches = state.breaches() + 1;
                Instant since = state.since().orElse(windowEnd);
                if (breaches >= forWindows) {
                    AlertState firing =
                            new AlertState(key, AlertState.Status.FIRING, breaches, 0, Optional.of(since), value);
                    yield new Step(
                            firing,
                            Optional.of(new Alert(
                                    Alert.Status.FIRING, key, key.fingerprint(), since, Optional.empty(), value)));
                }
                yield new Step(
                        new AlertState(key, AlertState.Status.PENDING, breaches, 0, Optional.of(since), value),
                        Optional.empty());
            }
            case FIRING -> {
                if (breach) {
                    yield new Step(
                            new AlertState(
                                    key, AlertState.Status.FIRING, state.breaches() + 1, 0, state.since(), value),
                            Optional.empty());
                }
                int clean = state.clean() + 1;
                if (clean >= resolveAfter) {
                    Instant since = state.since().orElseThrow();
                    yield new Step(
                            AlertState.initial(key).withValue(value),
                            Optional.of(new Alert(
                                    Alert.Status.RESOLVED,
                                    key,
                                    key.fingerprint(),
                                    since,
                                    Optional.of(windowEnd),
                                    value)));
                }
                yield new Step(
                        new AlertState(key, AlertState.Status.FIRING, 0, clean, state.since(), value),
                        Optional.empty());
            }
        };
    }
}
