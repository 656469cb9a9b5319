package io.fathom.offline.internal;

import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Parquet timestamps as epoch millis: parquet-avro reads {@code timestamp-millis} as millis already, and
 * {@code timestamp-micros}/{@code -nanos} (and their local forms) as longs of their own unit.
 */
final class TimestampUnits {
    private TimestampUnits() {}

    /** A value read from a column of this (possibly nullable) schema, in millis if it is a timestamp. */
    static Object toMillis(Schema column, Object value) {
        if (!(value instanceof Long raw)) {
            return value;
        }
        LogicalType type = nonNull(column).getLogicalType();
        if (type instanceof LogicalTypes.TimestampMicros || type instanceof LogicalTypes.LocalTimestampMicros) {
            return Math.floorDiv(raw, 1_000L);
        }
        if (type instanceof LogicalTypes.TimestampNanos || type instanceof LogicalTypes.LocalTimestampNanos) {
            return Math.floorDiv(raw, 1_000_000L);
        }
        return raw;
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema);
    }
}
