package io.fathom.core;

import java.util.Objects;

/**
 * A field whose value is not a plain number, string or boolean: a JSON object or array, an Avro record, array, map
 * or bytes. Decoders hand it on as this marker rather than as text, so a key column or an aggregation that meets it
 * rejects the event ({@code WRONG_TYPE}) instead of reading {@code "{...}"} as a string — every event with a nested
 * object as its key would otherwise be one entity.
 *
 * @param kind what the value was, e.g. {@code "a JSON object"}
 */
public record NestedValue(String kind) {
    public NestedValue {
        Objects.requireNonNull(kind, "kind");
    }

    @Override
    public String toString() {
        return kind;
    }
}
