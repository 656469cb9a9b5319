package io.fathom.schemas.internal;

import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import java.util.List;
import java.util.Optional;

/** Reads one item of {@code entities}. */
final class EntityReader {
    private final Checks checks;
    private final Symbols symbols;

    EntityReader(Checks checks, Symbols symbols) {
        this.checks = checks;
        this.symbols = symbols;
    }

    Optional<EntityDefinition> read(Item item) {
        Problems.Mark mark = checks.problems().mark();
        Optional<Mapping> opened = checks.open(item, List.of("name", "keys"), List.of());
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> checks.declare(m, "entity", n, symbols.entities));
        Optional<List<String>> keys = m.distinctStrings("keys", "key column");
        name.ifPresent(n -> symbols.entityKeys(n, keys));
        return mark.build(() -> new EntityDefinition(name.orElseThrow(), keys.orElseThrow()));
    }
}
