package io.fathom.monitor.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fathom.monitor.alert.Alert;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON bodies of the three {@link WebhookEndpoint.Format}s, one alert per request.
 *
 * <ul>
 *   <li>{@code ALERTMANAGER}: Alertmanager's webhook receiver payload, {@code version "4"}
 *       (prometheus.io/docs/alerting/latest/configuration/#webhook_config; the fields of its {@code
 *       notify/webhook.Message} and {@code template.Data}): {@code version}, {@code groupKey}, {@code
 *       truncatedAlerts}, {@code status}, {@code receiver}, {@code groupLabels}, {@code commonLabels}, {@code
 *       commonAnnotations}, {@code externalURL}, and {@code alerts[]} of {@code status}, {@code labels}, {@code
 *       annotations}, {@code startsAt}, {@code endsAt}, {@code generatorURL}, {@code fingerprint}. Each request is a
 *       group of one alert, grouped by all its labels ({@code group_by: ['...']}): {@code groupLabels} are its
 *       labels, and {@code groupKey} is {@code {}:} and that label set. A firing alert's {@code endsAt}
 *       is Go's zero time {@code 0001-01-01T00:00:00Z}, as Alertmanager sends it.
 *   <li>{@code GRAFANA}: Grafana's webhook contact point payload (grafana.com/docs, "Webhook notifier"):
 *       the Alertmanager fields with {@code version "1"}, plus {@code orgId}, {@code title}, {@code state}
 *       ({@code alerting} or {@code ok}) and {@code message}, and per alert {@code values}.
 *   <li>{@code JSON}: the alert's own fields, {@code endsAt} null while firing.
 * </ul>
 *
 * Timestamps are RFC 3339 in UTC. Labels and annotations are written sorted by name.
 */
public final class AlertPayloads {
    /** Go's zero {@code time.Time}: what Alertmanager and Grafana send as a firing alert's end. */
    public static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String externalUrl;

    private AlertPayloads(String externalUrl) {
        this.externalUrl = Objects.requireNonNull(externalUrl, "externalUrl");
    }

    /**
     * @param externalUrl where Fathom's UI or API is reached, for {@code externalURL} and, with {@code
     *     /alerts/<fingerprint>} appended, {@code generatorURL}; empty for none
     */
    public static AlertPayloads of(String externalUrl) {
        return new AlertPayloads(
                externalUrl.endsWith("/") ? externalUrl.substring(0, externalUrl.length() - 1) : externalUrl);
    }

    /** The body of a request to a receiver named {@code receiver}, in {@code format}, as UTF-8 JSON. */
    public byte[] render(WebhookEndpoint.Format format, String receiver, AlertMessage alert) {
        try {
            return MAPPER.writeValueAsBytes(tree(format, receiver, alert));
        } catch (JsonProcessingException e) {
            throw new DeliveryException("cannot write alert " + alert.fingerprint() + " as " + format, e);
        }
    }

    /** The body as a JSON tree. */
    public ObjectNode tree(WebhookEndpoint.Format format, String receiver, AlertMessage alert) {
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(alert, "alert");
        return switch (format) {
            case ALERTMANAGER -> alertmanager(receiver, alert);
            case GRAFANA -> grafana(receiver, alert);
            case JSON -> event(alert);
        };
    }

    private ObjectNode alertmanager(String receiver, AlertMessage alert) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "4");
        root.put("groupKey", groupKey(alert));
        root.put("truncatedAlerts", 0);
        root.put("status", alert.status().code());
        root.put("receiver", receiver);
        root.set("groupLabels", map(alert.labels()));
        root.set("commonLabels", map(alert.labels()));
        root.set("commonAnnotations", map(alert.annotations()));
        root.put("externalURL", externalUrl);
        root.putArray("alerts").add(alertmanagerAlert(alert));
        return root;
    }

    private ObjectNode grafana(String receiver, AlertMessage alert) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("receiver", receiver);
        root.put("status", alert.status().code());
        root.put("orgId", 1);
        ObjectNode item = alertmanagerAlert(alert);
        item.put("silenceURL", "");
        item.put("dashboardURL", "");
        item.put("panelURL", "");
        item.set("values", MAPPER.createObjectNode().put("value", alert.value()).put("threshold", alert.threshold()));
        item.put("valueString", valueString(alert));
        root.putArray("alerts").add(item);
        root.set("groupLabels", map(alert.labels()));
        root.set("commonLabels", map(alert.labels()));
        root.set("commonAnnotations", map(alert.annotations()));
        root.put("externalURL", externalUrl);
        root.put("version", "1");
        root.put("groupKey", groupKey(alert));
        root.put("truncatedAlerts", 0);
        root.put("title", "[" + alert.status().code().toUpperCase(Locale.ROOT) + ":1] " + alert.alertName());
        root.put("state", alert.status() == Alert.Status.FIRING ? "alerting" : "ok");
        root.put("message", message(alert));
        return root;
    }

    private static ObjectNode event(AlertMessage alert) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("fingerprint", alert.fingerprint());
        root.put("status", alert.status().code());
        root.put("kind", alert.kind());
        root.set("labels", map(alert.labels()));
        root.set("annotations", map(alert.annotations()));
        root.put("startsAt", alert.startsAt().toString());
        if (alert.endsAt().isPresent()) {
            root.put("endsAt", alert.endsAt().get().toString());
        } else {
            root.putNull("endsAt");
        }
        root.put("value", alert.value());
        root.put("threshold", alert.threshold());
        return root;
    }

    private ObjectNode alertmanagerAlert(AlertMessage alert) {
        ObjectNode item = MAPPER.createObjectNode();
        item.put("status", alert.status().code());
        item.set("labels", map(alert.labels()));
        item.set("annotations", map(alert.annotations()));
        item.put("startsAt", alert.startsAt().toString());
        item.put("endsAt", alert.endsAt().map(Instant::toString).orElse(ZERO_TIME));
        item.put("generatorURL", externalUrl.isEmpty() ? "" : externalUrl + "/alerts/" + alert.fingerprint());
        item.put("fingerprint", alert.fingerprint());
        return item;
    }

    /**
     * Alertmanager's group key, {@code <route>:<group labels>}, of the root route {@code {}} grouping by every label
     * ({@code group_by: ['...']}): one alert per group, the same key for its firing and its resolved. The labels are
     * written as Prometheus writes a label set: sorted by name, {@code name="value"}, joined by {@code ", "}.
     */
    private static String groupKey(AlertMessage alert) {
        StringBuilder key = new StringBuilder("{}:{");
        alert.labels().forEach((name, value) -> {
            if (key.length() > 4) {
                key.append(", ");
            }
            key.append(name).append("=\"").append(escape(value)).append('"');
        });
        return key.append('}').toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\t", "\\t");
    }

    private static String valueString(AlertMessage alert) {
        return "value=" + alert.value() + " threshold=" + alert.threshold();
    }

    private static String message(AlertMessage alert) {
        String summary = alert.annotations().getOrDefault("summary", alert.alertName());
        return "[" + alert.status().code().toUpperCase(Locale.ROOT) + "] " + summary + " (" + valueString(alert) + ")";
    }

    private static ObjectNode map(Map<String, String> entries) {
        ObjectNode node = MAPPER.createObjectNode();
        entries.forEach(node::put);
        return node;
    }
}
