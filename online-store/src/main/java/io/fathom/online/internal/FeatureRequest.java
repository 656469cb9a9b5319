package io.fathom.online.internal;

import io.fathom.core.EntityKey;
import io.fathom.online.BadRequestException;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An online read request, validated against the definitions: the requested features grouped by view (in
 * order of first appearance), the one entity they all belong to, and the entity rows with their canonical
 * keys. Every problem is reported with the value that caused it.
 *
 * @param entity the entity of every requested view
 * @param features the requested {@code view:feature} names, in request order
 * @param featuresByView for each view, in order of first appearance, the positions in {@code features} of
 *     its features and their names in the view
 * @param rows each entity row's key values by column, in the entity's column order, as given
 * @param entityKeys each row's canonical key ({@link EntityKey#encoded()})
 */
public record FeatureRequest(
        EntityDefinition entity,
        List<String> features,
        Map<String, List<ViewFeature>> featuresByView,
        List<Map<String, Object>> rows,
        List<String> entityKeys) {

    /** A requested feature of a view: its position in the request and its name in the view. */
    public record ViewFeature(int position, String name) {}

    public static FeatureRequest parse(
            FeatureDefinitions definitions, List<String> features, Map<String, List<Object>> entities) {
        if (features == null || features.isEmpty()) {
            throw new BadRequestException("no features requested: give at least one \"view:feature\"");
        }
        Map<String, List<ViewFeature>> byView = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        EntityDefinition entity = null;
        String firstFeature = null;
        for (int position = 0; position < features.size(); position++) {
            String requested = features.get(position);
            if (requested == null) {
                throw new BadRequestException("feature #" + position + " is null");
            }
            int colon = requested.indexOf(':');
            if (colon <= 0 || colon == requested.length() - 1 || requested.indexOf(':', colon + 1) >= 0) {
                throw new BadRequestException("feature \"" + requested + "\" is not of the form view:feature");
            }
            if (!seen.add(requested)) {
                throw new BadRequestException("feature \"" + requested + "\" is requested twice");
            }
            String viewName = requested.substring(0, colon);
            String featureName = requested.substring(colon + 1);
            ViewDefinition view = definitions
                    .view(viewName)
                    .orElseThrow(() -> new UnknownFeatureException(
                            "unknown view \"" + viewName + "\" in feature \"" + requested + "\""));
            if (view.features().stream().map(FeatureDefinition::name).noneMatch(featureName::equals)) {
                throw new UnknownFeatureException(
                        "view " + viewName + " has no feature \"" + featureName + "\" (in \"" + requested + "\")");
            }
            EntityDefinition viewEntity = definitions.entityOf(view);
            if (entity == null) {
                entity = viewEntity;
                firstFeature = requested;
            } else if (!entity.name().equals(viewEntity.name())) {
                throw new BadRequestException("features of different entities in one request: \"" + firstFeature
                        + "\" is of entity " + entity.name() + ", \"" + requested + "\" of entity "
                        + viewEntity.name());
            }
            byView.computeIfAbsent(viewName, v -> new ArrayList<>()).add(new ViewFeature(position, featureName));
        }
        Map<String, List<ViewFeature>> grouped = new LinkedHashMap<>();
        byView.forEach((view, list) -> grouped.put(view, List.copyOf(list)));
        return rows(entity, List.copyOf(features), grouped, entities);
    }

    private static FeatureRequest rows(
            EntityDefinition entity,
            List<String> features,
            Map<String, List<ViewFeature>> byView,
            Map<String, List<Object>> entities) {
        List<String> columns = entity.keys();
        if (entities == null || entities.isEmpty()) {
            throw new BadRequestException(
                    "no entity rows: give the key columns " + columns + " of entity " + entity.name());
        }
        for (String column : entities.keySet()) {
            if (!columns.contains(column)) {
                throw new BadRequestException("unexpected key column \"" + column + "\" for entity " + entity.name()
                        + " (its key columns are " + columns + ")");
            }
        }
        int count = -1;
        String firstColumn = null;
        for (String column : columns) {
            List<Object> values = entities.get(column);
            if (values == null) {
                throw new BadRequestException("missing key column \"" + column + "\" for entity " + entity.name()
                        + " (its key columns are " + columns + ")");
            }
            if (count < 0) {
                count = values.size();
                firstColumn = column;
            } else if (values.size() != count) {
                throw new BadRequestException("key columns differ in length: " + firstColumn + " has " + count
                        + " values, " + column + " has " + values.size());
            }
        }
        if (count == 0) {
            throw new BadRequestException("no entity rows: the key columns " + columns + " are empty");
        }
        List<Map<String, Object>> rows = new ArrayList<>(count);
        List<String> keys = new ArrayList<>(count);
        for (int row = 0; row < count; row++) {
            Map<String, Object> values = new LinkedHashMap<>();
            List<Object> keyValues = new ArrayList<>(columns.size());
            for (String column : columns) {
                Object value = entities.get(column).get(row);
                if (value == null) {
                    throw new BadRequestException("key column " + column + ", row " + row + ": the value is null");
                }
                values.put(column, value);
                keyValues.add(value);
            }
            try {
                keys.add(new EntityKey(columns, keyValues).encoded());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("row " + row + ": " + e.getMessage(), e);
            }
            rows.add(values);
        }
        return new FeatureRequest(entity, features, byView, rows, keys);
    }
}
