package io.fathom.app.node;

import io.fathom.app.report.Histogram;
import io.fathom.monitor.MonitorListener;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;
import io.fathom.schemas.avro.DriftHistogram;
import io.fathom.schemas.avro.DriftReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * What {@code GET /v1/drift} and {@code GET /v1/alerts} answer: the latest drift report per (view,
 * feature), the latest bias report per (model, attribute), and the alerts firing now — kept from the
 * monitor running in this process; and the histograms of the latest drift reports, which the page draws.
 */
final class MonitorView implements MonitorListener {
    private final Map<String, Map<String, Object>> drift = new ConcurrentHashMap<>();
    private final Map<String, DriftHistogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> bias = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Object>> firing = new ConcurrentHashMap<>();
    private final Consumer<AlertEvent> onAlert;

    MonitorView(Consumer<AlertEvent> onAlert) {
        this.onAlert = onAlert;
    }

    @Override
    public void onDriftReport(DriftReport report) {
        String key = report.getView() + "/" + report.getFeature();
        drift.put(key, asMap(report));
        if (report.getHistogram() != null) {
            histograms.put(key, report.getHistogram());
        }
    }

    @Override
    public void onBiasReport(BiasReportRecord report) {
        Map<String, Object> map = asMap(report);
        bias.put(map.get("model") + "/" + map.get("attribute"), map);
    }

    @Override
    public void onAlert(AlertEvent alert) {
        if ("firing".equals(alert.getStatus().toString())) {
            firing.put(alert.getFingerprint(), asMap(alert));
        } else {
            firing.remove(alert.getFingerprint());
        }
        onAlert.accept(alert);
    }

    /** {@code GET /v1/drift}. */
    Map<String, Object> reports() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("drift", sorted(drift));
        body.put("bias", sorted(bias));
        return body;
    }

    /** The histograms of the latest drift report of a feature, for the page's chart; empty before one. */
    Optional<Histogram> histogram(String view, String feature) {
        DriftHistogram h = histograms.get(view + "/" + feature);
        if (h == null) {
            return Optional.empty();
        }
        return Optional.of(new Histogram(
                feature,
                h.getNumeric(),
                h.getInnerEdges(),
                h.getCategories(),
                h.getReferenceCounts(),
                h.getCurrentCounts()));
    }

    /** {@code GET /v1/alerts}. */
    Map<String, Object> alerts() {
        return Map.of("alerts", sorted(firing));
    }

    private static List<Map<String, Object>> sorted(Map<String, Map<String, Object>> byKey) {
        List<String> keys = new ArrayList<>(byKey.keySet());
        keys.sort(null);
        List<Map<String, Object>> result = new ArrayList<>();
        keys.forEach(k -> result.add(byKey.get(k)));
        return result;
    }

    /** An Avro record as a JSON-ready map (strings, numbers, maps and lists as they are). */
    static Map<String, Object> asMap(SpecificRecord record) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            map.put(field.name(), value instanceof SpecificRecord nested ? asMap(nested) : plain(value));
        }
        return map;
    }

    private static Object plain(Object value) {
        if (value instanceof CharSequence || value instanceof Enum<?>) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream()
                    .map(v -> v instanceof SpecificRecord r ? asMap(r) : plain(v))
                    .toList();
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k.toString(), v instanceof SpecificRecord r ? asMap(r) : plain(v)));
            return out;
        }
        return value;
    }
}
