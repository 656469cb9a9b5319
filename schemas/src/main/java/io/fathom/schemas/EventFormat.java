package io.fathom.schemas;

import java.util.Arrays;
import java.util.Optional;

/** How events on a source topic are encoded. */
public enum EventFormat {
    /** One JSON object per record. */
    JSON("json"),
    /** Avro single-object encoding (magic C3 01, 8-byte schema fingerprint, body). */
    AVRO("avro"),
    /** Avro framed for a schema registry (magic 0, 4-byte schema id, body), read with the declared schema. */
    AVRO_REGISTRY("avro-registry");

    private final String yamlName;

    EventFormat(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    public static Optional<EventFormat> fromYamlName(String name) {
        return Arrays.stream(values()).filter(f -> f.yamlName.equals(name)).findFirst();
    }
}
