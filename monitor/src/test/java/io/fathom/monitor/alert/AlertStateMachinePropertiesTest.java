package io.fathom.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The state machine against a brute-force reference that looks only at the history of verdicts. */
class AlertStateMachinePropertiesTest {

    @Provide
    Arbitrary<String> histories() {
        return Arbitraries.strings().withChars('O', 'D', 'I').ofMaxLength(60);
    }

    /**
     * The reference: drop insufficient windows; an alert fires when the last {@code for} judged windows
     * all breached and it was not firing; it resolves when the last {@code resolve_after} judged windows
     * were all clean and it was firing. It is PENDING when not firing and the last judged window breached.
     */
    static List<String> reference(String history, int forWindows, int resolveAfter) {
        List<String> statuses = new ArrayList<>();
        StringBuilder judged = new StringBuilder();
        boolean firing = false;
        for (char c : history.toCharArray()) {
            String emitted = "-";
            if (c != 'I') {
                judged.append(c);
                if (!firing && endsWith(judged, 'D', forWindows)) {
                    firing = true;
                    emitted = "firing";
                } else if (firing && endsWith(judged, 'O', resolveAfter)) {
                    firing = false;
                    emitted = "resolved";
                }
            }
            boolean pending = !firing && judged.length() > 0 && judged.charAt(judged.length() - 1) == 'D';
            statuses.add((firing ? "F" : pending ? "P" : "O") + ":" + emitted);
        }
        return statuses;
    }

    static boolean endsWith(CharSequence s, char c, int run) {
        if (s.length() < run) {
            return false;
        }
        for (int i = s.length() - run; i < s.length(); i++) {
            if (s.charAt(i) != c) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 1000)
    void matchesTheReference(
            @ForAll("histories") String history,
            @ForAll @IntRange(min = 1, max = 4) int forWindows,
            @ForAll @IntRange(min = 1, max = 4) int resolveAfter) {
        AlertStateMachine machine = new AlertStateMachine(forWindows, resolveAfter);
        AlertStateMachineTest.Run run = AlertStateMachineTest.run(machine, history);
        List<String> actual = new ArrayList<>();
        String[] emitted =
                run.emitted().isEmpty() ? new String[0] : run.emitted().split(" ");
        for (int i = 0; i < history.length(); i++) {
            actual.add(run.statuses().charAt(i) + ":" + emitted[i]);
        }
        assertThat(actual).isEqualTo(reference(history, forWindows, resolveAfter));

        // Transitions alternate, firing first, and a resolved alert carries its firing's start.
        List<Alert> alerts = run.alerts();
        for (int i = 0; i < alerts.size(); i++) {
            assertThat(alerts.get(i).status()).isEqualTo(i % 2 == 0 ? Alert.Status.FIRING : Alert.Status.RESOLVED);
            if (i % 2 == 1) {
                assertThat(alerts.get(i).startsAt()).isEqualTo(alerts.get(i - 1).startsAt());
                assertThat(alerts.get(i).endsAt().orElseThrow())
                        .isAfter(alerts.get(i).startsAt());
            }
        }
    }
}
