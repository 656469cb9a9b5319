package io.fathom.monitor;

import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;

/**
 * Told by the topology's processors about what they emit, so that one instance can export gauges of
 * its own tasks' reports without reading its output topics back. Called on stream threads; under
 * exactly-once a call can repeat when a transaction is retried, so implementations keep last values
 * (gauges), not sums. Implementations must be thread-safe.
 */
public interface MonitorListener {
    /** A listener that does nothing. */
    MonitorListener NONE = new MonitorListener() {};

    default void onDriftReport(io.fathom.schemas.avro.DriftReport report) {}

    default void onBiasReport(BiasReportRecord report) {}

    default void onAlert(AlertEvent alert) {}

    /** A malformed input was sent to the dead-letter topic. */
    default void onDeadLetter(String reason, String sourceTopic) {}

    /**
     * A well-formed input was not used, on purpose: {@code late} (its window had closed),
     * {@code no_baseline}, {@code invalid_baseline}, {@code baseline_changed} (an open window was
     * binned by a replaced baseline), {@code unmatched_label}, {@code method_not_applicable}.
     */
    default void onSkipped(String reason, String scope) {}
}
