package io.fathom.schemas;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole, validated feature-definitions file: entities, sources, views and monitors. Build one with
 * {@link DefinitionsParser}, which checks every cross-reference before returning.
 */
public record FeatureDefinitions(
        List<EntityDefinition> entities,
        List<SourceDefinition> sources,
        List<ViewDefinition> views,
        List<MonitorDefinition> monitors) {
    public FeatureDefinitions {
        entities = List.copyOf(entities);
        sources = List.copyOf(sources);
        views = List.copyOf(views);
        monitors = List.copyOf(monitors);
    }

    public Optional<EntityDefinition> entity(String name) {
        return entities.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<SourceDefinition> source(String name) {
        return sources.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<ViewDefinition> view(String name) {
        return views.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** The entity of a view; present for every view of a validated file. */
    public EntityDefinition entityOf(ViewDefinition view) {
        return entity(view.entity())
                .orElseThrow(() -> new IllegalStateException("view " + view.name() + ": no entity " + view.entity()));
    }

    /** The source of a view; present for every view of a validated file. */
    public SourceDefinition sourceOf(ViewDefinition view) {
        Objects.requireNonNull(view, "view");
        return source(view.source())
                .orElseThrow(() -> new IllegalStateException("view " + view.name() + ": no source " + view.source()));
    }

    /** The views fed by a source, in declaration order. */
    public List<ViewDefinition> viewsOf(SourceDefinition source) {
        return views.stream().filter(v -> v.source().equals(source.name())).toList();
    }
}
