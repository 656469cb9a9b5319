package io.fathom.monitor;

import io.fathom.monitor.drift.Baseline;
import io.fathom.schemas.RecordComponents;

/**
 * Topic names of the monitoring application. Snapshot topics come from the views
 * ({@code fathom.snapshots.<view>}) and predictions and labels topics from the bias monitors.
 *
 * @param baselines compacted, key = view name, value = {@link Baseline#toJson()}
 * @param driftReports key = {@code view/feature}, value = Avro {@code DriftReport}
 * @param biasReports key = {@code model/attribute}, value = Avro {@code BiasReportRecord}
 * @param alerts key = fingerprint, value = Avro {@code AlertEvent}
 * @param deadLetters malformed inputs, with {@link io.fathom.kafka.DeadLetterHeaders}
 */
public record MonitorTopics(
        String baselines, String driftReports, String biasReports, String alerts, String deadLetters) {
    public static final String DEFAULT_BASELINES = "fathom.baselines";
    public static final String DEFAULT_DRIFT_REPORTS = "fathom.drift.reports";
    public static final String DEFAULT_BIAS_REPORTS = "fathom.bias.reports";
    public static final String DEFAULT_ALERTS = "fathom.alerts";
    public static final String DEFAULT_DEAD_LETTERS = "fathom.monitor.dlq";

    public MonitorTopics {
        RecordComponents.requireNonNull(MonitorTopics.class, baselines, driftReports, biasReports, alerts, deadLetters);
    }

    /** {@code fathom.baselines}, {@code fathom.drift.reports}, {@code fathom.bias.reports}, {@code fathom.alerts}, {@code fathom.monitor.dlq}. */
    public static MonitorTopics defaults() {
        return new MonitorTopics(
                DEFAULT_BASELINES, DEFAULT_DRIFT_REPORTS, DEFAULT_BIAS_REPORTS, DEFAULT_ALERTS, DEFAULT_DEAD_LETTERS);
    }
}
