package io.fathom.online.internal;

import io.fathom.core.FeatureSelection;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.online.BadRequestException;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The requested features of an online read, validated against the definitions and compiled once: the one
 * entity they all belong to and, per view in order of first appearance, which of the view's evaluated values
 * go to which position of the answer. A read then evaluates each entity's state once per view, only the requested
 * features ({@link TileAggregator#evaluateValues} with the view's {@link FeatureSelection}), and copies values by
 * index: no name is looked up per entity.
 *
 * <p>Plans are cached by their feature list ({@link Cache}): a model asks for the same features on every
 * call, so validating and compiling them is paid once, not per request.
 *
 * @param entity the entity of every requested view
 * @param features the requested {@code view:feature} names, in request order
 * @param views the views read, in order of first appearance
 */
public record ReadPlan(EntityDefinition entity, List<String> features, List<ViewRead> views) {

    public ReadPlan {
        Objects.requireNonNull(entity, "entity");
        features = List.copyOf(features);
        views = List.copyOf(views);
    }

    /**
     * One view of a plan: its name and aggregator, its ttl, for each requested feature of it the position in the
     * answer ({@code positions[i]}) and the index of its value in {@link TileAggregator#evaluateValues}'s array
     * ({@code indexes[i]}), and the selection of those features, so that an evaluation reads out only them (and
     * walks the tiles only as far back as their longest window). The arrays are not copied; nothing modifies them.
     */
    public record ViewRead(
            String name,
            TileAggregator aggregator,
            long ttlMillis,
            int[] positions,
            int[] indexes,
            FeatureSelection selection) {}

    /** The views of the definitions, compiled once: a view's aggregator, entity and features by name. */
    public static final class Catalog {
        private final Map<String, CatalogView> views = new HashMap<>();

        private record CatalogView(
                ViewDefinition definition,
                EntityDefinition entity,
                TileAggregator aggregator,
                Map<String, Integer> featureIndex) {}

        public Catalog(FeatureDefinitions definitions) {
            for (ViewDefinition view : definitions.views()) {
                ViewPlan plan = ViewPlan.of(view);
                Map<String, Integer> index = new HashMap<>();
                List<String> names = plan.featureNames();
                for (int i = 0; i < names.size(); i++) {
                    index.put(names.get(i), i);
                }
                views.put(
                        view.name(),
                        new CatalogView(view, definitions.entityOf(view), new TileAggregator(plan), Map.copyOf(index)));
            }
        }
    }

    /**
     * Compiled plans by feature list, at most {@value #MAX_PLANS} of them (past that the cache starts over: a
     * client that sends ever new lists pays for compiling, never for memory). Thread-safe.
     */
    public static final class Cache {
        static final int MAX_PLANS = 1_024;

        private final Catalog catalog;
        private final int maxPlans;
        private final Map<List<String>, ReadPlan> plans = new ConcurrentHashMap<>();

        public Cache(Catalog catalog) {
            this(catalog, MAX_PLANS);
        }

        Cache(Catalog catalog, int maxPlans) {
            this.catalog = Objects.requireNonNull(catalog, "catalog");
            this.maxPlans = maxPlans;
        }

        /** The number of plans held. */
        int size() {
            return plans.size();
        }

        /**
         * The plan of {@code features}.
         *
         * @throws BadRequestException as {@link ReadPlan#compile}
         * @throws UnknownFeatureException as {@link ReadPlan#compile}
         */
        public ReadPlan get(List<String> features) {
            if (features == null || features.isEmpty()) {
                throw new BadRequestException("no features requested: give at least one \"view:feature\"");
            }
            ReadPlan plan = plans.get(features);
            if (plan == null) {
                plan = compile(catalog, features);
                if (plans.size() >= maxPlans) {
                    plans.clear();
                }
                plans.put(plan.features(), plan);
            }
            return plan;
        }
    }

    /**
     * Validates and compiles a feature list. Every problem is reported with the value that caused it.
     *
     * @throws BadRequestException no features, a null or malformed {@code view:feature}, a feature requested
     *     twice, views of different entities
     * @throws UnknownFeatureException an unknown view or feature
     */
    public static ReadPlan compile(Catalog catalog, List<String> features) {
        if (features == null || features.isEmpty()) {
            throw new BadRequestException("no features requested: give at least one \"view:feature\"");
        }
        Map<String, List<int[]>> byView = new LinkedHashMap<>();
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
            Catalog.CatalogView view = catalog.views.get(viewName);
            if (view == null) {
                throw new UnknownFeatureException("unknown view \"" + viewName + "\" in feature \"" + requested + "\"");
            }
            Integer index = view.featureIndex().get(featureName);
            if (index == null) {
                throw new UnknownFeatureException(
                        "view " + viewName + " has no feature \"" + featureName + "\" (in \"" + requested + "\")");
            }
            if (entity == null) {
                entity = view.entity();
                firstFeature = requested;
            } else if (!entity.name().equals(view.entity().name())) {
                throw new BadRequestException("features of different entities in one request: \"" + firstFeature
                        + "\" is of entity " + entity.name() + ", \"" + requested + "\" of entity "
                        + view.entity().name());
            }
            byView.computeIfAbsent(viewName, v -> new ArrayList<>()).add(new int[] {position, index});
        }
        List<ViewRead> views = new ArrayList<>(byView.size());
        byView.forEach((name, wanted) -> {
            Catalog.CatalogView view = catalog.views.get(name);
            int[] positions = new int[wanted.size()];
            int[] indexes = new int[wanted.size()];
            for (int i = 0; i < wanted.size(); i++) {
                positions[i] = wanted.get(i)[0];
                indexes[i] = wanted.get(i)[1];
            }
            views.add(new ViewRead(
                    name,
                    view.aggregator(),
                    view.aggregator().plan().ttlMillis(),
                    positions,
                    indexes,
                    view.aggregator().select(indexes)));
        });
        return new ReadPlan(entity, features, views);
    }
}
