package io.fathom.core.decode;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.fathom.core.InvalidEventException;
import io.fathom.core.InvalidEventException.Reason;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decodes one JSON object per record with Jackson's streaming parser, keeping only the top-level
 * fields the views need (skipping the rest without building a tree). A nested object or array in a
 * needed field rejects the event ({@code WRONG_TYPE}): no key column, timestamp or aggregation takes one, and
 * read as text, every event with a nested object as its key would be one entity. A field named twice makes the
 * event undecodable.
 */
public final class JsonEventDecoder implements EventDecoder {
    private final JsonFactory factory = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private final Set<String> neededFields;

    public JsonEventDecoder(Set<String> neededFields) {
        this.neededFields = Set.copyOf(neededFields);
    }

    @Override
    public Map<String, Object> decode(byte[] value) {
        if (value == null) {
            throw new InvalidEventException(Reason.UNDECODABLE, "event has no value (tombstone)");
        }
        try (JsonParser parser = factory.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidEventException(Reason.UNDECODABLE, "event is not a JSON object");
            }
            Map<String, Object> fields = new HashMap<>();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken valueToken = parser.nextToken();
                if (!neededFields.contains(name)) {
                    parser.skipChildren();
                    continue;
                }
                fields.put(name, readValue(name, parser, valueToken));
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw new InvalidEventException(Reason.UNDECODABLE, "event is not a single JSON object");
            }
            return fields;
        } catch (IOException e) {
            throw new InvalidEventException(Reason.UNDECODABLE, "invalid JSON: " + e.getMessage());
        }
    }

    private static Object readValue(String name, JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getText()
                    : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case START_OBJECT, START_ARRAY -> throw new InvalidEventException(
                    Reason.WRONG_TYPE,
                    "field " + name + " is a JSON " + (token == JsonToken.START_OBJECT ? "object" : "array")
                            + ", expected a number, string or boolean");
            default -> throw new InvalidEventException(Reason.UNDECODABLE, "unexpected JSON token " + token);
        };
    }
}
