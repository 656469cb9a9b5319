package io.fathom.schemas;

import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * An event source: a Kafka topic, its encoding, the writer schema where one is declared, and the
 * field holding the event time (epoch millis or ISO-8601 with offset).
 */
public record SourceDefinition(
        String name, String topic, EventFormat format, Optional<Schema> schema, String timestampField) {
    public SourceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(timestampField, "timestampField");
        if (format != EventFormat.JSON && schema.isEmpty()) {
            throw new IllegalArgumentException(
                    "source " + name + " in format " + format.yamlName() + " needs a schema");
        }
    }
}
