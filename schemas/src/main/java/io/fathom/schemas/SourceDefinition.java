package io.fathom.schemas;

import java.net.URI;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * An event source: a Kafka topic, its encoding, the writer schema where one is declared, the field
 * holding the event time (epoch millis or ISO-8601 with offset), and where one is declared, a dataset of
 * past events ({@code history}: Parquet with the source's fields, at a Hadoop URI; a local path in the
 * definitions file becomes an absolute {@code file:} URI).
 */
public record SourceDefinition(
        String name,
        String topic,
        EventFormat format,
        Optional<Schema> schema,
        String timestampField,
        Optional<URI> history) {
    public SourceDefinition {
        RecordComponents.requireNonNull(SourceDefinition.class, name, topic, format, schema, timestampField, history);
        if (format != EventFormat.JSON && schema.isEmpty()) {
            throw new IllegalArgumentException(
                    "source " + name + " in format " + format.yamlName() + " needs a schema");
        }
        history.ifPresent(uri -> {
            if (!uri.isAbsolute() || uri.isOpaque()) {
                throw new IllegalArgumentException(
                        "source " + name + ": history " + uri + " is not an absolute, hierarchical URI");
            }
        });
    }

    /** A source without a history dataset. */
    public SourceDefinition(
            String name, String topic, EventFormat format, Optional<Schema> schema, String timestampField) {
        this(name, topic, format, schema, timestampField, Optional.empty());
    }
}
