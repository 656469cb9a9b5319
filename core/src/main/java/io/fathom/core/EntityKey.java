package io.fathom.core;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.EntityDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The key of one entity: its key columns and their values ({@code Long} or {@code String}).
 *
 * <p>Canonical encoding, used as the Kafka record key, the online-store key and the Parquet column:
 * each value is rendered (integers in decimal without leading zeros or {@code +}, strings verbatim),
 * every {@code \} and {@code |} in it is escaped by a preceding {@code \}, and the rendered values are
 * joined with {@code |} in key-column order. So {@code 42} and {@code "42"} are the same entity (on
 * purpose: JSON producers are inconsistent), a single key {@code 123} encodes as {@code 123}, and
 * {@code ("a|b", 7)} as {@code a\|b|7}. Keys are equal when their columns and encodings are equal.
 */
public record EntityKey(List<String> columns, List<Object> values) {
    private static final char SEPARATOR = '|';
    private static final char ESCAPE = '\\';

    public EntityKey {
        columns = List.copyOf(columns);
        Objects.requireNonNull(values, "values");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("an entity key needs at least one column");
        }
        if (values.size() != columns.size()) {
            throw new IllegalArgumentException(
                    "key columns " + columns + " and values " + values + " differ in length");
        }
        List<Object> canonical = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            Object value = canonicalValue(values.get(i));
            if (value == null) {
                throw new IllegalArgumentException("key column " + columns.get(i) + ": "
                        + Messages.describe(values.get(i)) + " is not an integer or a string");
            }
            canonical.add(value);
        }
        values = List.copyOf(canonical);
    }

    /**
     * Takes the entity's key columns from an event's fields. Integers ({@code Long}, {@code Integer}, or
     * a {@code Double} with an integral value) become {@code Long}; strings stay strings.
     *
     * @throws InvalidEventException {@code MISSING_KEY} when a column is missing or null, {@code
     *     WRONG_TYPE} when it holds anything else
     */
    public static EntityKey of(EntityDefinition entity, Map<String, Object> fields) {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(fields, "fields");
        List<String> columns = entity.keys();
        List<Object> values = new ArrayList<>(columns.size());
        for (String column : columns) {
            Object raw = fields.get(column);
            if (raw == null) {
                throw new InvalidEventException(
                        Reason.MISSING_KEY, "entity " + entity.name() + ": key column " + column + " is missing");
            }
            Object value = canonicalValue(raw);
            if (value == null) {
                throw new InvalidEventException(
                        Reason.WRONG_TYPE,
                        "entity " + entity.name() + ": key column " + column + " is " + Messages.describe(raw)
                                + ", expected an integer or a string");
            }
            values.add(value);
        }
        return new EntityKey(columns, values);
    }

    /** The canonical text of this key (see the class comment). */
    public String encoded() {
        StringBuilder out = new StringBuilder(16 * values.size());
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(SEPARATOR);
            }
            Object value = values.get(i);
            if (value instanceof Long number) {
                out.append(number.longValue());
            } else {
                appendEscaped(out, (String) value);
            }
        }
        return out.toString();
    }

    /**
     * Parses a canonical encoding back into a key of the entity; values come back as {@code String}.
     *
     * @throws IllegalArgumentException when the text is not a canonical encoding of a key with the
     *     entity's number of columns
     */
    public static EntityKey decode(EntityDefinition entity, String encoded) {
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(encoded, "encoded");
        List<Object> values = new ArrayList<>(entity.keys().size());
        StringBuilder current = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == ESCAPE) {
                if (i + 1 == encoded.length()
                        || (encoded.charAt(i + 1) != ESCAPE && encoded.charAt(i + 1) != SEPARATOR)) {
                    throw new IllegalArgumentException("entity " + entity.name() + ": \"" + encoded
                            + "\" is not a canonical key (stray escape at " + i + ")");
                }
                current.append(encoded.charAt(++i));
            } else if (c == SEPARATOR) {
                values.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        values.add(current.toString());
        if (values.size() != entity.keys().size()) {
            throw new IllegalArgumentException("entity " + entity.name() + ": \"" + encoded + "\" has " + values.size()
                    + " key value(s), expected " + entity.keys().size() + " " + entity.keys());
        }
        return new EntityKey(entity.keys(), values);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EntityKey key
                && columns.equals(key.columns)
                && encoded().equals(key.encoded());
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + encoded().hashCode();
    }

    /** {@code Long} or {@code String} for an acceptable key value, null otherwise. */
    private static Object canonicalValue(Object value) {
        if (value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // The range check is exclusive at the top: (double) Long.MAX_VALUE rounds up to 2^63.
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
                return (long) d;
            }
            return null;
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        return null;
    }

    private static void appendEscaped(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ESCAPE || c == SEPARATOR) {
                out.append(ESCAPE);
            }
            out.append(c);
        }
    }
}
