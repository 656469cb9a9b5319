package io.fathom.core;

import io.fathom.schemas.Aggregation;
import java.util.Objects;

/**
 * One compiled feature: its aggregation, the index of its field in {@link ViewPlan#fields()} ({@code
 * -1} for {@code count}) and the index of its window in {@link ViewPlan#windowsMillis()} ({@code -1}
 * for a lifetime {@code first}/{@code last}).
 */
record FeatureSpec(String name, Aggregation aggregation, int field, int window) {
    static final int NONE = -1;

    FeatureSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aggregation, "aggregation");
    }

    boolean windowed() {
        return window != NONE;
    }
}
