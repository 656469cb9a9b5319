package io.fathom.core.decode;

import io.fathom.core.NestedValue;
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
 * record, array, map or bytes value becomes a {@link NestedValue}, which a key column or an aggregation rejects.
 */
public final class AvroFields {
    private static final NestedValue BYTES = new NestedValue("Avro bytes");
    private static final NestedValue RECORD = new NestedValue("an Avro record");
    private static final NestedValue ARRAY = new NestedValue("an Avro array");
    private static final NestedValue MAP = new NestedValue("an Avro map");

    private AvroFields() {}

    public static Map<String, Object> of(GenericRecord record, Set<String> neededFields) {
        Map<String, Object> fields = new HashMap<>();
        for (String name : neededFields) {
            Schema.Field field = record.getSchema().getField(name);
            if (field != null) {
                fields.put(name, normalise(record.get(field.pos())));
            }
        }
        return fields;
    }

    public static Object normalise(Object value) {
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
        if (value instanceof ByteBuffer || value instanceof GenericFixed) {
            return BYTES;
        }
        if (value instanceof GenericRecord) {
            return RECORD;
        }
        if (value instanceof Collection<?>) {
            return ARRAY;
        }
        if (value instanceof Map<?, ?>) {
            return MAP;
        }
        return value.toString();
    }
}
