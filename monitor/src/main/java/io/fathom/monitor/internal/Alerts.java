package io.fathom.monitor.internal;

import io.fathom.monitor.alert.Alert;
import io.fathom.monitor.alert.AlertKey;
import io.fathom.monitor.alert.AlertState;
import io.fathom.monitor.alert.AlertStateMachine;
import io.fathom.monitor.drift.Verdict;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertKind;
import io.fathom.schemas.avro.AlertStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueStore;

/** One alert state machine per key, its state in a store keyed by fingerprint; transitions as Avro events. */
final class Alerts {
    private final KeyValueStore<String, byte[]> states;
    private final AlertStateMachine machine;

    Alerts(KeyValueStore<String, byte[]> states, AlertStateMachine machine) {
        this.states = states;
        this.machine = machine;
    }

    /** Steps the key's state machine with a window's verdict; the alert, if it made a transition. */
    Optional<Alert> step(AlertKey key, Verdict verdict, double value, long windowEnd) {
        String fingerprint = key.fingerprint();
        byte[] stored = states.get(fingerprint);
        AlertState state = stored == null ? AlertState.initial(key) : AlertStateCodec.fromBytes(stored);
        AlertStateMachine.Step step = machine.step(state, verdict, value, Instant.ofEpochMilli(windowEnd));
        if (!step.state().equals(state)) {
            states.put(fingerprint, AlertStateCodec.toBytes(step.state()));
        }
        return step.alert();
    }

    /** The event of a transition: its labels are its key's ({@link AlertKey#labels()}), the same firing and resolved. */
    static AlertEvent event(Alert alert, double threshold, Map<String, String> annotations) {
        boolean firing = alert.status() == Alert.Status.FIRING;
        return AlertEvent.newBuilder()
                .setFingerprint(alert.fingerprint())
                .setStatus(firing ? AlertStatus.firing : AlertStatus.resolved)
                .setKind("bias".equals(alert.key().kind()) ? AlertKind.bias : AlertKind.drift)
                .setLabels(alert.key().labels())
                .setAnnotations(annotations)
                .setStartsAt(alert.startsAt().toEpochMilli())
                .setEndsAt(alert.endsAt().map(Instant::toEpochMilli).orElse(null))
                .setValue(alert.value())
                .setThreshold(threshold)
                .build();
    }
}
