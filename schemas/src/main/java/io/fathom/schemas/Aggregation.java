package io.fathom.schemas;

import java.util.Arrays;
import java.util.Optional;

/** The aggregations a feature can use, with what each needs from its definition. */
public enum Aggregation {
    COUNT("count", false, true, false),
    SUM("sum", true, true, true),
    MEAN("mean", true, true, true),
    MIN("min", true, true, true),
    MAX("max", true, true, true),
    STDDEV("stddev", true, true, true),
    COUNT_DISTINCT("count_distinct", true, true, false),
    LAST("last", true, false, false),
    FIRST("first", true, false, false);

    private final String yamlName;
    private final boolean needsField;
    private final boolean needsWindow;
    private final boolean numeric;

    Aggregation(String yamlName, boolean needsField, boolean needsWindow, boolean numeric) {
        this.yamlName = yamlName;
        this.needsField = needsField;
        this.needsWindow = needsWindow;
        this.numeric = numeric;
    }

    /** The name used in feature-definition YAML, e.g. {@code count_distinct}. */
    public String yamlName() {
        return yamlName;
    }

    /** Whether the feature must name an event field ({@code count} counts events and needs none). */
    public boolean needsField() {
        return needsField;
    }

    /** Whether the feature must have a window ({@code first} and {@code last} may go without). */
    public boolean needsWindow() {
        return needsWindow;
    }

    /** Whether the field must hold numbers. */
    public boolean numeric() {
        return numeric;
    }

    public static Optional<Aggregation> fromYamlName(String name) {
        return Arrays.stream(values()).filter(a -> a.yamlName.equals(name)).findFirst();
    }
}
