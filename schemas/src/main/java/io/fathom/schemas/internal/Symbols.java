package io.fathom.schemas.internal;

import io.fathom.schemas.yaml.YamlPath;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * The symbol table of one definitions file: what was declared where, and what later sections look up
 * (an entity's key columns, a source's schema, a view's features).
 *
 * <p>Names are kept as written, even when otherwise invalid, so that a bad name is reported once and
 * not again at every reference to it. A lookup of something that did not load answers empty, and the
 * check that needed it is skipped.
 */
final class Symbols {
    // Declared names of each kind, with where each was first declared.
    final Map<String, YamlPath> entities = new LinkedHashMap<>();
    final Map<String, YamlPath> sources = new LinkedHashMap<>();
    final Map<String, YamlPath> views = new LinkedHashMap<>();
    // Views with a drift monitor and models with a bias monitor: at most one each.
    final Map<String, YamlPath> driftMonitorsByView = new HashMap<>();
    final Map<String, YamlPath> biasMonitorsByModel = new HashMap<>();

    // The first declaration of a name wins, also when its value did not load (then: empty).
    private final Map<String, Optional<List<String>>> entityKeys = new HashMap<>();
    private final Map<String, Optional<Schema>> sourceSchemas = new HashMap<>();
    private final Map<String, Set<String>> viewFeatures = new HashMap<>();

    void entityKeys(String entity, Optional<List<String>> keys) {
        entityKeys.putIfAbsent(entity, keys);
    }

    Optional<List<String>> keysOf(String entity) {
        return entityKeys.getOrDefault(entity, Optional.empty());
    }

    void sourceSchema(String source, Optional<Schema> schema) {
        sourceSchemas.putIfAbsent(source, schema);
    }

    Optional<Schema> schemaOf(String source) {
        return sourceSchemas.getOrDefault(source, Optional.empty());
    }

    void viewFeatures(String view, Set<String> features) {
        viewFeatures.putIfAbsent(view, features);
    }

    Set<String> featuresOf(String view) {
        return viewFeatures.getOrDefault(view, Set.of());
    }
}
