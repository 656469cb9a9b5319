package io.fathom.schemas;

import java.time.Duration;
import java.util.Optional;

/** One feature of a view: an aggregation over an optional event field and an optional window. */
public record FeatureDefinition(
        String name, Aggregation aggregation, Optional<String> field, Optional<Duration> window) {
    public FeatureDefinition {
        RecordComponents.requireNonNull(FeatureDefinition.class, name, aggregation, field, window);
        if (aggregation.needsField() && field.isEmpty()) {
            throw new IllegalArgumentException("feature " + name + ": " + aggregation.yamlName() + " needs a field");
        }
        if (!aggregation.needsField() && field.isPresent()) {
            throw new IllegalArgumentException("feature " + name + ": " + aggregation.yamlName() + " takes no field");
        }
        if (aggregation.needsWindow() && window.isEmpty()) {
            throw new IllegalArgumentException("feature " + name + ": " + aggregation.yamlName() + " needs a window");
        }
        window.ifPresent(w -> {
            if (w.isNegative() || w.isZero()) {
                throw new IllegalArgumentException("feature " + name + ": window must be positive, was " + w);
            }
        });
    }
}
