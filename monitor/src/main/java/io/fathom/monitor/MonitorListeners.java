package io.fathom.monitor;

import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;
import io.fathom.schemas.avro.DriftReport;

/** Combining listeners. */
public final class MonitorListeners {
    private MonitorListeners() {}

    /** A listener that tells {@code first}, then {@code second}. */
    public static MonitorListener both(MonitorListener first, MonitorListener second) {
        return new MonitorListener() {
            @Override
            public void onDriftReport(DriftReport report) {
                first.onDriftReport(report);
                second.onDriftReport(report);
            }

            @Override
            public void onBiasReport(BiasReportRecord report) {
                first.onBiasReport(report);
                second.onBiasReport(report);
            }

            @Override
            public void onAlert(AlertEvent alert) {
                first.onAlert(alert);
                second.onAlert(alert);
            }

            @Override
            public void onDeadLetter(String reason, String sourceTopic) {
                first.onDeadLetter(reason, sourceTopic);
                second.onDeadLetter(reason, sourceTopic);
            }

            @Override
            public void onSkipped(String reason, String scope) {
                first.onSkipped(reason, scope);
                second.onSkipped(reason, scope);
            }
        };
    }
}
