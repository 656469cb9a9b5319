package io.fathom.core.decode;

import io.fathom.core.InvalidEventException;
import io.fathom.core.InvalidEventException.Reason;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads the needed top-level fields of a decoded Avro record, normalised to Long, Double, String, Boolean or null; a
 * record, array, map, bytes or fixed value in a needed field rejects the event ({@code WRONG_TYPE}), as a nested
 * JSON value does.
 */
public final class AvroFields {

    private AvroFields() {}

    public static Map<String, Object> of(GenericRecord record, Set<String> neededFields) {
        Map<String, Object> fields = new HashMap<>();
        for (String name : neededFields) {
            Schema.Field field = record.getSchema().getField(name);
            if (field != null) {
                fields.put(name, normalise(name, record.get(field.pos())));
            }
        }
        return fields;
    }

    /**
     * @throws InvalidEventException {@code WRONG_TYPE} for a record, array, map, bytes or fixed value
     */
    public static Object normalise(String name, Object value) {
        if (value == null || value instanceof Long || value instanceof Double || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
            return value.toString();
        }
        String kind = value instanceof ByteBuffer || value instanceof GenericFixed
                ? "Avro bytes"
                : value instanceof GenericRecord
                        ? "an Avro record"
                        : value instanceof Collection<?>
                                ? "an Avro array"
                                : value instanceof Map<?, ?> ? "an Avro map" : null;
        if (kind != null) {
            throw new InvalidEventException(
                    Reason.WRONG_TYPE, "field " + name + " is " + kind + ", expected a number, string or boolean");
        }
        return value.toString();
    }
}
