package io.fathom.monitor;

import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertStatus;
import io.fathom.schemas.avro.BiasGroup;
import io.fathom.schemas.avro.BiasReportRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The monitor's meters, fed by the topology of this instance ({@link MonitorListener}): in Prometheus
 * naming {@code fathom_drift_score{view,feature,method}} (the last closed window's score, NaN when
 * insufficient), {@code fathom_alerts_firing} (alerts of this instance's tasks now firing),
 * {@code fathom_bias_metric{model,metric,group}} (per attribute: {@code group} is the attribute for the
 * report's metrics and {@code attribute=value} for per-group selection rate and disparate impact),
 * {@code fathom_dlq_total{reason,source}} and {@code fathom_monitor_skipped_total{reason,scope}}.
 */
public final class MonitorMetrics implements MonitorListener {
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> gauges = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Set<String> firing = ConcurrentHashMap.newKeySet();

    public MonitorMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        Gauge.builder("fathom.alerts.firing", firing, Set::size)
                .description("Drift and bias alerts currently firing")
                .register(registry);
    }

    @Override
    public void onDriftReport(io.fathom.schemas.avro.DriftReport report) {
        gauge(
                        "fathom.drift.score",
                        "view",
                        report.getView(),
                        "feature",
                        report.getFeature(),
                        "method",
                        report.getMethod())
                .set(report.getScore() == null ? Double.NaN : report.getScore());
    }

    @Override
    public void onBiasReport(BiasReportRecord report) {
        String model = report.getModel();
        String attribute = report.getAttribute();
        bias(model, "demographic_parity_difference", attribute, report.getDemographicParityDifference());
        bias(model, "demographic_parity_ratio", attribute, report.getDemographicParityRatio());
        bias(model, "disparate_impact_ratio", attribute, report.getDisparateImpactRatio());
        bias(model, "equal_opportunity_difference", attribute, report.getEqualOpportunityDifference());
        bias(model, "equalized_odds_difference", attribute, report.getEqualizedOddsDifference());
        for (BiasGroup group : report.getGroups()) {
            String name = attribute + "=" + group.getGroup();
            bias(model, "selection_rate", name, group.getSelectionRate());
            bias(model, "disparate_impact", name, group.getDisparateImpact());
        }
    }

    @Override
    public void onAlert(AlertEvent alert) {
        if (alert.getStatus() == AlertStatus.firing) {
            firing.add(alert.getFingerprint());
        } else {
            firing.remove(alert.getFingerprint());
        }
    }

    @Override
    public void onDeadLetter(String reason, String sourceTopic) {
        counter("fathom.dlq", "reason", reason, "source", sourceTopic).increment();
    }

    @Override
    public void onSkipped(String reason, String scope) {
        counter("fathom.monitor.skipped", "reason", reason, "scope", scope).increment();
    }

    private void bias(String model, String metric, String group, Double value) {
        gauge("fathom.bias.metric", "model", model, "metric", metric, "group", group)
                .set(value == null ? Double.NaN : value);
    }

    private AtomicReference<Double> gauge(String name, String... tags) {
        return gauges.computeIfAbsent(name + "|" + String.join("|", tags), k -> {
            AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, value, AtomicReference::get).tags(tags).register(registry);
            return value;
        });
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(
                name + "|" + String.join("|", tags),
                k -> Counter.builder(name).tags(tags).register(registry));
    }
}
