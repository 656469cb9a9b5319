package io.fathom.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A monitor: drift of a view's features against a baseline, or bias of a model's predictions. */
public sealed interface MonitorDefinition {

    /** How a drift statistic is judged: the method ({@code psi}, {@code ks}, ...) and its threshold. */
    record DriftRule(String method, double threshold) {
        public DriftRule {
            Objects.requireNonNull(method, "method");
        }
    }

    /** Drift of every feature of a view, in tumbling windows; per-feature rules override the default. */
    record DriftMonitor(
            String view, Duration window, long minSamples, DriftRule drift, Map<String, DriftRule> featureOverrides)
            implements MonitorDefinition {
        public DriftMonitor {
            Objects.requireNonNull(view, "view");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(drift, "drift");
            featureOverrides = Map.copyOf(featureOverrides);
        }
    }

    /** Bias thresholds of a model's predictions across protected groups. */
    record BiasRule(double disparateImpactMin, double parityDifferenceMax) {}

    /** Bias of a model: predictions topic, optional labels topic, protected attributes. */
    record BiasMonitor(
            String model, String predictions, Optional<String> labels, List<String> protectedAttributes, BiasRule bias)
            implements MonitorDefinition {
        public BiasMonitor {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(predictions, "predictions");
            Objects.requireNonNull(labels, "labels");
            protectedAttributes = List.copyOf(protectedAttributes);
            Objects.requireNonNull(bias, "bias");
        }
    }
}
