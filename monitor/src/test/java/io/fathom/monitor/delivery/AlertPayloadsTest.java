package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.monitor.alert.Alert;
import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The golden bodies below are written by hand from the receivers' documentation (Alertmanager's
 * webhook_config, Grafana's webhook notifier), not produced by the code under test.
 */
class AlertPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AlertPayloads PAYLOADS = AlertPayloads.of("https://fathom.example.com/");

    static final AlertMessage FIRING = new AlertMessage(
            "3f1c2a9b7d6e5f40",
            Alert.Status.FIRING,
            "drift",
            Map.of("alertname", "FeatureDrift", "view", "user_stats", "feature", "avg_amount", "method", "psi"),
            Map.of("summary", "avg_amount drifted"),
            Instant.parse("2026-11-02T10:00:00Z"),
            Optional.empty(),
            0.31,
            0.2);

    static final AlertMessage RESOLVED = new AlertMessage(
            "3f1c2a9b7d6e5f40",
            Alert.Status.RESOLVED,
            "drift",
            FIRING.labels(),
            FIRING.annotations(),
            FIRING.startsAt(),
            Optional.of(Instant.parse("2026-11-02T11:30:00Z")),
            0.05,
            0.2);

    @Test
    void alertmanagerWebhookV4() throws Exception {
        String golden =
                """
                {
                  "version": "4",
                  "groupKey": "{}:{alertname=\\"FeatureDrift\\", feature=\\"avg_amount\\", method=\\"psi\\", view=\\"user_stats\\"}",
                  "truncatedAlerts": 0,
                  "status": "firing",
                  "receiver": "ops",
                  "groupLabels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "commonLabels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "commonAnnotations": {"summary": "avg_amount drifted"},
                  "externalURL": "https://fathom.example.com",
                  "alerts": [{
                    "status": "firing",
                    "labels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                    "annotations": {"summary": "avg_amount drifted"},
                    "startsAt": "2026-11-02T10:00:00Z",
                    "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "https://fathom.example.com/alerts/3f1c2a9b7d6e5f40",
                    "fingerprint": "3f1c2a9b7d6e5f40"
                  }]
                }
                """;

        assertThat(render(Format.ALERTMANAGER, FIRING)).isEqualTo(JSON.readTree(golden));
    }

    /**
     * The fields of Alertmanager's webhook body, from its source (notify/webhook/webhook.go {@code Message}: the
     * embedded {@code template.Data} and {@code version}, {@code groupKey}, {@code truncatedAlerts}; template.go
     * {@code Alert}): no more, no fewer, with their JSON types.
     */
    @Test
    void alertmanagerBodyHasExactlyTheFieldsOfItsWebhookMessage() throws Exception {
        for (AlertMessage alert : List.of(FIRING, RESOLVED)) {
            JsonNode body = render(Format.ALERTMANAGER, alert);
            assertThat(fieldNames(body))
                    .containsExactlyInAnyOrder(
                            "receiver",
                            "status",
                            "alerts",
                            "groupLabels",
                            "commonLabels",
                            "commonAnnotations",
                            "externalURL",
                            "version",
                            "groupKey",
                            "truncatedAlerts");
            assertThat(body.get("version").isTextual()).isTrue();
            assertThat(body.get("version").asText()).isEqualTo("4");
            assertThat(body.get("truncatedAlerts").isIntegralNumber()).isTrue();
            assertThat(body.get("groupKey").isTextual()).isTrue();
            assertThat(body.get("status").asText()).isIn("firing", "resolved");
            assertThat(body.get("alerts").isArray()).isTrue();
            for (JsonNode item : body.get("alerts")) {
                assertThat(fieldNames(item))
                        .containsExactlyInAnyOrder(
                                "status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");
                // Go's time.Time marshals as RFC 3339
                java.time.OffsetDateTime.parse(item.get("startsAt").asText());
                java.time.OffsetDateTime.parse(item.get("endsAt").asText());
                assertThat(item.get("labels").isObject()).isTrue();
                item.get("labels").forEach(v -> assertThat(v.isTextual()).isTrue());
            }
        }
    }

    /** What a receiver keys on is the same for an alert's firing and its resolved. */
    @Test
    void firingAndResolvedShareGroupKeyLabelsAndFingerprint() throws Exception {
        JsonNode firing = render(Format.ALERTMANAGER, FIRING);
        JsonNode resolved = render(Format.ALERTMANAGER, RESOLVED);

        assertThat(resolved.get("groupKey")).isEqualTo(firing.get("groupKey"));
        assertThat(resolved.get("groupLabels")).isEqualTo(firing.get("groupLabels"));
        assertThat(resolved.at("/alerts/0/labels")).isEqualTo(firing.at("/alerts/0/labels"));
        assertThat(resolved.at("/alerts/0/fingerprint")).isEqualTo(firing.at("/alerts/0/fingerprint"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void alertmanagerResolvedCarriesItsEnd() throws Exception {
        JsonNode body = render(Format.ALERTMANAGER, RESOLVED);

        assertThat(body.get("status").asText()).isEqualTo("resolved");
        assertThat(body.at("/alerts/0/status").asText()).isEqualTo("resolved");
        assertThat(body.at("/alerts/0/endsAt").asText()).isEqualTo("2026-11-02T11:30:00Z");
    }

    @Test
    void grafanaWebhook() throws Exception {
        String golden =
                """
                {
                  "receiver": "ops",
                  "status": "resolved",
                  "orgId": 1,
                  "alerts": [{
                    "status": "resolved",
                    "labels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                    "annotations": {"summary": "avg_amount drifted"},
                    "startsAt": "2026-11-02T10:00:00Z",
                    "endsAt": "2026-11-02T11:30:00Z",
                    "generatorURL": "https://fathom.example.com/alerts/3f1c2a9b7d6e5f40",
                    "fingerprint": "3f1c2a9b7d6e5f40",
                    "silenceURL": "",
                    "dashboardURL": "",
                    "panelURL": "",
                    "values": {"value": 0.05, "threshold": 0.2},
                    "valueString": "value=0.05 threshold=0.2"
                  }],
                  "groupLabels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "commonLabels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "commonAnnotations": {"summary": "avg_amount drifted"},
                  "externalURL": "https://fathom.example.com",
                  "version": "1",
                  "groupKey": "{}:{alertname=\\"FeatureDrift\\", feature=\\"avg_amount\\", method=\\"psi\\", view=\\"user_stats\\"}",
                  "truncatedAlerts": 0,
                  "title": "[RESOLVED:1] FeatureDrift",
                  "state": "ok",
                  "message": "[RESOLVED] avg_amount drifted (value=0.05 threshold=0.2)"
                }
                """;

        assertThat(render(Format.GRAFANA, RESOLVED)).isEqualTo(JSON.readTree(golden));
        assertThat(render(Format.GRAFANA, FIRING).get("state").asText()).isEqualTo("alerting");
    }

    @Test
    void plainJsonEvent() throws Exception {
        String golden =
                """
                {
                  "fingerprint": "3f1c2a9b7d6e5f40",
                  "status": "firing",
                  "kind": "drift",
                  "labels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "annotations": {"summary": "avg_amount drifted"},
                  "startsAt": "2026-11-02T10:00:00Z",
                  "endsAt": null,
                  "value": 0.31,
                  "threshold": 0.2
                }
                """;

        assertThat(render(Format.JSON, FIRING)).isEqualTo(JSON.readTree(golden));
    }

    @Test
    void labelsAreWrittenSortedSoBodiesAreStable() {
        String body = new String(PAYLOADS.render(Format.JSON, "ops", FIRING), java.nio.charset.StandardCharsets.UTF_8);

        assertThat(body)
                .contains("{\"alertname\":\"FeatureDrift\",\"feature\":\"avg_amount\",\"method\":\"psi\","
                        + "\"view\":\"user_stats\"}");
    }

    @Test
    void webhookIdIsStablePerTransition() {
        assertThat(FIRING.webhookId()).isEqualTo("msg_3f1c2a9b7d6e5f40_firing_1793613600000");
        assertThat(RESOLVED.webhookId()).isNotEqualTo(FIRING.webhookId());
    }

    private static JsonNode render(Format format, AlertMessage alert) throws Exception {
        return JSON.readTree(PAYLOADS.render(format, "ops", alert));
    }
}
