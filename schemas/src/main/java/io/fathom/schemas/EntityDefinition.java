package io.fathom.schemas;

import java.util.List;
import java.util.Objects;

/** An entity: a name and its key columns, in order (several columns make a composite key). */
public record EntityDefinition(String name, List<String> keys) {
    public EntityDefinition {
        Objects.requireNonNull(name, "name");
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("entity " + name + " has no key columns");
        }
    }
}
