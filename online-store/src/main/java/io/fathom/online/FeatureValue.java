package io.fathom.online;

import java.util.Objects;

/**
 * One feature of one entity as read online.
 *
 * @param value the value evaluated at read time ({@code Long}, {@code Double}, {@code String}, {@code
 *     Boolean}) or null
 * @param status whether the entity was found and live
 * @param eventTs epoch millis of the snapshot the value comes from (its latest event), null when {@link
 *     FeatureStatus#NOT_FOUND}
 */
public record FeatureValue(Object value, FeatureStatus status, Long eventTs) {
    public FeatureValue {
        Objects.requireNonNull(status, "status");
    }
}
