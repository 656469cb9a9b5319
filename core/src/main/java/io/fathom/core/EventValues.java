package io.fathom.core;

import io.fathom.core.InvalidEventException.Reason;
import java.util.List;
import java.util.Map;

/**
 * Reads and checks the values of the fields a view aggregates from an event, before anything is
 * mutated. Values become {@code Long} (from any integral boxed type), {@code Double} (from {@code
 * Float} or another {@code Number}), {@code String} (from any {@code CharSequence}) or {@code
 * Boolean}; a field used by a numeric aggregation must hold a finite number.
 */
final class EventValues {
    private EventValues() {}

    /**
     * The normalised values of {@code plan.fields()}, in that order, null where missing.
     *
     * @throws InvalidEventException {@code WRONG_TYPE} naming the field and the value
     */
    static Object[] read(ViewPlan plan, Map<String, Object> event) {
        List<String> fields = plan.fields();
        List<FieldNeeds> needs = plan.needs();
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < values.length; i++) {
            Object raw = event.get(fields.get(i));
            if (raw == null) {
                continue;
            }
            Object value = normalise(raw);
            if (value == null) {
                throw wrongType(plan, fields.get(i), raw, "a number, string or boolean");
            }
            if (needs.get(i).numeric()
                    && !(value instanceof Long || (value instanceof Double d && Double.isFinite(d)))) {
                throw wrongType(plan, fields.get(i), raw, "a finite number");
            }
            values[i] = value;
        }
        return values;
    }

    /** The value as a double; only for values that passed the numeric check. */
    static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static Object normalise(Object raw) {
        if (raw instanceof Long || raw instanceof Double || raw instanceof String || raw instanceof Boolean) {
            return raw;
        }
        if (raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number number) {
            return number.doubleValue();
        }
        if (raw instanceof CharSequence text) {
            return text.toString();
        }
        return null;
    }

    private static InvalidEventException wrongType(ViewPlan plan, String field, Object raw, String expected) {
        return new InvalidEventException(
                Reason.WRONG_TYPE,
                "view " + plan.view().name() + ": field " + field + " is " + Messages.describe(raw) + ", expected "
                        + expected);
    }
}
