package io.fathom.ingest;

import io.fathom.core.InvalidEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Ingest counters in Prometheus naming: {@code fathom_ingest_events_total{source}},
 * {@code fathom_dlq_total{reason,source}} and {@code fathom_snapshots_total{view}}.
 */
public final class IngestMetrics {
    private final MeterRegistry registry;

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The counter of a source's events, registered with every dead-letter reason's counter at zero, so
     * dashboards and alerts see a series before the first event or dead letter. The decode stage keeps
     * it, so counting costs no lookup per event.
     */
    public Counter events(String source) {
        for (InvalidEventException.Reason reason : InvalidEventException.Reason.values()) {
            deadLetterCounter(reason.code(), source);
        }
        return Counter.builder("fathom.ingest.events").tag("source", source).register(registry);
    }

    /** The counter of a view's snapshots (kept by the view's aggregation stage). */
    public Counter snapshots(String view) {
        return Counter.builder("fathom.snapshots").tag("view", view).register(registry);
    }

    /** Counts a dead letter (rare: the registry's own lookup is cheap enough). */
    public void deadLetter(String reason, String source) {
        deadLetterCounter(reason, source).increment();
    }

    private Counter deadLetterCounter(String reason, String source) {
        return Counter.builder("fathom.dlq")
                .description("Events sent to the dead-letter topic")
                .tag("reason", reason)
                .tag("source", source)
                .register(registry);
    }
}
