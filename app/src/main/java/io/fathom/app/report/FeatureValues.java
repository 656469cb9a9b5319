package io.fathom.app.report;

import java.util.List;
import java.util.Objects;

/**
 * How the CLI reads a column of a training set as feature values: numeric when every present value is
 * a number (or a CSV cell that parses as one), else categorical, each value by its {@code toString()}.
 */
public final class FeatureValues {
    private FeatureValues() {}

    /** Whether every non-null value of every column is a number or parses as one. */
    @SafeVarargs
    public static boolean numeric(List<Object>... columns) {
        for (List<Object> column : columns) {
            if (!column.stream().filter(Objects::nonNull).allMatch(v -> asNumber(v) != null)) {
                return false;
            }
        }
        return true;
    }

    /** The values as numbers; null (and anything that is not a number) as null. */
    public static List<Double> numbers(List<Object> column) {
        return column.stream().map(FeatureValues::asNumber).toList();
    }

    /** The values as category names; null stays null. */
    public static List<String> categories(List<Object> column) {
        return column.stream().map(v -> v == null ? null : v.toString()).toList();
    }

    public static Double asNumber(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(value.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
