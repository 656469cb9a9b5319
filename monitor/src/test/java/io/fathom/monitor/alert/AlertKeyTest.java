package io.fathom.monitor.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.monitor.drift.DriftMethod;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertKeyTest {
    @Test
    void driftLabelsNameTheViewFeatureAndMethod() {
        assertThat(AlertKey.drift("user_txn", "amount", DriftMethod.PSI).labels())
                .isEqualTo(Map.of(
                        "alertname", "FeatureDrift",
                        "kind", "drift",
                        "view", "user_txn",
                        "feature", "amount",
                        "method", "psi"));
    }

    @Test
    void biasLabelsNameTheModelAttributeAndMetricButNoGroup() {
        assertThat(AlertKey.bias("fraud_v3", "gender", "disparate_impact_ratio").labels())
                .isEqualTo(Map.of(
                        "alertname", "ModelBias",
                        "kind", "bias",
                        "model", "fraud_v3",
                        "attribute", "gender",
                        "metric", "disparate_impact_ratio"));
    }

    @Test
    void labelsComeSortedByName() {
        assertThat(AlertKey.bias("m", "a", "x").labels().keySet())
                .containsExactly("alertname", "attribute", "kind", "metric", "model");
    }
}
