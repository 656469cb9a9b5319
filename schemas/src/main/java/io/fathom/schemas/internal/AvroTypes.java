package io.fathom.schemas.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Type;

/** What the definitions need to know about the types of an event schema's fields. */
final class AvroTypes {
    static final String NUMERIC_TYPES = "int, long, float or double";
    static final String SCALAR_TYPES = "int, long, float, double, string, boolean or enum";
    static final String TIMESTAMP_TYPES = "long (epoch millis) or string (ISO-8601 with offset)";

    private static final Set<Type> NUMERIC = EnumSet.of(Type.INT, Type.LONG, Type.FLOAT, Type.DOUBLE);
    private static final Set<Type> SCALAR =
            EnumSet.of(Type.INT, Type.LONG, Type.FLOAT, Type.DOUBLE, Type.STRING, Type.BOOLEAN, Type.ENUM);
    private static final Set<String> NOT_MILLIS =
            Set.of("timestamp-micros", "timestamp-nanos", "local-timestamp-micros", "local-timestamp-nanos");

    private AvroTypes() {}

    /** A field's value type, looking through {@code ["null", T]} (a nullable field may be null in an event). */
    static Schema valueType(Schema schema) {
        if (schema.getType() != Type.UNION) {
            return schema;
        }
        List<Schema> nonNull =
                schema.getTypes().stream().filter(s -> s.getType() != Type.NULL).toList();
        return nonNull.size() == 1 ? nonNull.get(0) : schema;
    }

    static boolean isNumeric(Schema schema) {
        return NUMERIC.contains(valueType(schema).getType());
    }

    static boolean isScalar(Schema schema) {
        return SCALAR.contains(valueType(schema).getType());
    }

    /** A key column must hold a single value that can be encoded into an entity key. */
    static boolean isKey(Schema schema) {
        return isScalar(schema);
    }

    static boolean isTimestamp(Schema schema) {
        Schema type = valueType(schema);
        LogicalType logical = type.getLogicalType();
        return type.getType() == Type.STRING
                || (type.getType() == Type.LONG && (logical == null || !NOT_MILLIS.contains(logical.getName())));
    }

    /** A type as a reader would say it: {@code double}, {@code long (timestamp-millis)}, {@code null | string}. */
    static String describe(Schema schema) {
        return switch (schema.getType()) {
            case UNION -> schema.getTypes().stream().map(AvroTypes::describe).collect(Collectors.joining(" | "));
            case RECORD, ENUM, FIXED -> schema.getType().getName() + " " + schema.getFullName();
            case ARRAY -> "array";
            case MAP -> "map";
            default -> schema.getLogicalType() == null
                    ? schema.getType().getName()
                    : schema.getType().getName() + " ("
                            + schema.getLogicalType().getName() + ")";
        };
    }
}
