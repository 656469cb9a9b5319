package io.fathom.monitor.delivery;

import io.fathom.monitor.alert.Alert;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.RecordComponents;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An alert transition as the dispatcher reads it from {@code fathom.alerts}: the fields of the topic's
 * record, in Java types. Labels and annotations are kept sorted by name, so payloads are stable.
 *
 * @param fingerprint the alert's stable identity, the Kafka key (see {@link io.fathom.monitor.alert.AlertKey})
 * @param status firing or resolved
 * @param kind {@code drift} or {@code bias}
 * @param labels identifying labels ({@code alertname}, {@code view}, {@code feature}, …)
 * @param annotations human-readable {@code summary}, {@code description}
 * @param startsAt the end of the first breaching window of the episode
 * @param endsAt for a resolved alert, the end of the window that resolved it; empty while firing
 * @param value the score of the window that caused the transition
 * @param threshold the rule's threshold the value is judged against
 */
public record AlertMessage(
        String fingerprint,
        Alert.Status status,
        String kind,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Optional<Instant> endsAt,
        double value,
        double threshold) {

    private static final AvroCodec<AlertEvent> CODEC = AvroCodec.of(AlertEvent.getClassSchema());

    public AlertMessage {
        RecordComponents.requireNonNull(
                AlertMessage.class, fingerprint, status, kind, labels, annotations, startsAt, endsAt, value, threshold);
        if (fingerprint.isEmpty()) {
            throw new IllegalArgumentException("fingerprint must be non-empty");
        }
        if ((status == Alert.Status.RESOLVED) != endsAt.isPresent()) {
            throw new IllegalArgumentException("alert " + fingerprint + " has an end exactly when it is resolved; was "
                    + status + " with endsAt " + endsAt);
        }
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        annotations = Collections.unmodifiableSortedMap(new TreeMap<>(annotations));
    }

    /**
     * The Standard Webhooks {@code webhook-id} of this transition: the same for every retry and every
     * redelivery after a restart, different for the firing and the resolved of an episode and for the next
     * episode, so receivers can deduplicate on it.
     */
    public String webhookId() {
        return "msg_" + fingerprint + "_" + status.code() + "_" + startsAt.toEpochMilli();
    }

    /** {@code labels.alertname}, or one built from the kind, for titles and group keys. */
    public String alertName() {
        return labels.getOrDefault("alertname", "fathom_" + kind);
    }

    /** The alert of a {@code fathom.alerts} record value (Avro binary {@link AlertEvent}). */
    public static AlertMessage decode(byte[] value) {
        return of(CODEC.decode(value));
    }

    /** The alert of an {@link AlertEvent}. */
    public static AlertMessage of(AlertEvent event) {
        return new AlertMessage(
                event.getFingerprint(),
                event.getStatus() == AlertStatus.firing ? Alert.Status.FIRING : Alert.Status.RESOLVED,
                event.getKind().name(),
                event.getLabels(),
                event.getAnnotations(),
                Instant.ofEpochMilli(event.getStartsAt()),
                Optional.ofNullable(event.getEndsAt()).map(Instant::ofEpochMilli),
                event.getValue(),
                event.getThreshold());
    }
}
