package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.monitor.alert.Alert;
import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import java.time.Instant;
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
                  "groupKey": "{}:{alertname=\\"FeatureDrift\\", fingerprint=\\"3f1c2a9b7d6e5f40\\"}",
                  "truncatedAlerts": 0,
                  "status": "firing",
                  "receiver": "ops",
                  "groupLabels": {"alertname": "FeatureDrift"},
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
                  "groupLabels": {"alertname": "FeatureDrift"},
                  "commonLabels": {"alertname": "FeatureDrift", "feature": "avg_amount", "method": "psi", "view": "user_stats"},
                  "commonAnnotations": {"summary": "avg_amount drifted"},
                  "externalURL": "https://fathom.example.com",
                  "version": "1",
                  "groupKey": "{}:{alertname=\\"FeatureDrift\\", fingerprint=\\"3f1c2a9b7d6e5f40\\"}",
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
