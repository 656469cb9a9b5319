package io.fathom.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A feature view: features of one entity computed from one source, kept in tiles of
 * {@code granularity}, readable until {@code ttl} after the entity's last event, accepting events
 * up to {@code allowedLateness} older than the entity's latest event.
 */
public record ViewDefinition(
        String name,
        String entity,
        String source,
        Duration granularity,
        Duration ttl,
        Duration allowedLateness,
        List<FeatureDefinition> features) {
    public ViewDefinition {
        RecordComponents.requireNonNull(
                ViewDefinition.class, name, entity, source, granularity, ttl, allowedLateness, features);
        features = List.copyOf(features);
        if (granularity.isNegative() || granularity.isZero()) {
            throw new IllegalArgumentException("view " + name + ": granularity must be positive, was " + granularity);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("view " + name + ": ttl must be positive, was " + ttl);
        }
        if (allowedLateness.isNegative()) {
            throw new IllegalArgumentException(
                    "view " + name + ": allowedLateness must not be negative, was " + allowedLateness);
        }
        if (features.isEmpty()) {
            throw new IllegalArgumentException("view " + name + " has no features");
        }
    }

    /** The topic this view's snapshots go to: {@code fathom.snapshots.<name>}. */
    public String snapshotTopic() {
        return snapshotTopicOf(name);
    }

    /**
     * The topic the snapshots of the view named {@code view} go to, for those who know a view only by name;
     * the one place the topic naming is defined.
     */
    public static String snapshotTopicOf(String view) {
        return "fathom.snapshots." + Objects.requireNonNull(view, "view");
    }
}
