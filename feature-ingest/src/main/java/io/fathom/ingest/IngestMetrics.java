package io.fathom.ingest;

import io.fathom.core.InvalidEventException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ingest counters in Prometheus naming: {@code fathom_ingest_events_total{source}},
 * {@code fathom_dlq_total{reason,source}} and {@code fathom_snapshots_total{view}}.
 */
public final class IngestMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Registers a source's counters at zero (every dead-letter reason included), so dashboards and
     * alerts see a series before the first event or the first dead letter.
     */
    public void declareSource(String source) {
        counter("fathom.ingest.events", "source", source);
        for (InvalidEventException.Reason reason : InvalidEventException.Reason.values()) {
            deadLetterCounter(reason.code(), source);
        }
    }

    /** Registers a view's snapshot counter at zero. */
    public void declareView(String view) {
        counter("fathom.snapshots", "view", view);
    }

    public void eventIn(String source) {
        counter("fathom.ingest.events", "source", source).increment();
    }

    public void deadLetter(String reason, String source) {
        deadLetterCounter(reason, source).increment();
    }

    private Counter deadLetterCounter(String reason, String source) {
        return counters.computeIfAbsent("dlq|" + reason + "|" + source, k -> Counter.builder("fathom.dlq")
                .description("Events sent to the dead-letter topic")
                .tag("reason", reason)
                .tag("source", source)
                .register(registry));
    }

    public void snapshot(String view) {
        counter("fathom.snapshots", "view", view).increment();
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(
                name + "|" + value, k -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
