package io.fathom.schemas.internal;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.yaml.Durations;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.YamlPath;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/** Reads one item of {@code views} with its features, checked against its entity and source. */
final class ViewReader extends ItemReader {
    private static final List<String> AGGREGATIONS =
            Arrays.stream(Aggregation.values()).map(Aggregation::yamlName).toList();
    /** Names people reach for from other tools, only to suggest the right one. */
    private static final Map<String, String> AGGREGATION_ALIASES = Map.of(
            "avg", "mean",
            "average", "mean",
            "std", "stddev",
            "stdev", "stddev",
            "distinct", "count_distinct",
            "nunique", "count_distinct",
            "latest", "last",
            "earliest", "first");

    ViewReader(Checks checks, Symbols symbols) {
        super(checks, symbols);
    }

    Optional<ViewDefinition> read(Item item) {
        Problems.Mark mark = problems.mark();
        Optional<Mapping> opened = checks.open(
                item,
                List.of("name", "entity", "source", "granularity", "ttl", "features"),
                List.of("allowed_lateness"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> checks.declare(m, "view", n, symbols.views));
        Optional<String> entity = m.string("entity")
                .filter(e -> checks.reference(m.at("entity"), e, "entity", "entities", symbols.entities.keySet()));
        Optional<String> source = m.string("source")
                .filter(s -> checks.reference(m.at("source"), s, "source", "sources", symbols.sources.keySet()));
        Optional<Duration> granularity = m.positiveDuration("granularity");
        Optional<Duration> ttl = m.positiveDuration("ttl");
        Optional<Duration> allowedLateness =
                m.has("allowed_lateness") ? m.nonNegativeDuration("allowed_lateness") : Optional.of(Duration.ZERO);
        Optional<Schema> schema = source.flatMap(symbols::schemaOf);
        if (entity.isPresent() && schema.isPresent()) {
            symbols.keysOf(entity.get())
                    .ifPresent(keys -> checkKeyColumns(m.at("entity"), entity.get(), keys, schema.get()));
        }
        Map<String, YamlPath> featureNames = new LinkedHashMap<>();
        List<FeatureDefinition> features = m.sequence("features", true)
                .map(items -> items.stream()
                        .map(feature -> readFeature(feature, featureNames, granularity, schema))
                        .flatMap(Optional::stream)
                        .toList())
                .orElse(List.of());
        name.ifPresent(n -> symbols.viewFeatures(n, featureNames.keySet()));
        return mark.build(() -> new ViewDefinition(
                name.orElseThrow(),
                entity.orElseThrow(),
                source.orElseThrow(),
                granularity.orElseThrow(),
                ttl.orElseThrow(),
                allowedLateness.orElseThrow(),
                features));
    }

    private void checkKeyColumns(YamlPath path, String entity, List<String> keys, Schema schema) {
        for (String key : keys) {
            Schema.Field field = schema.getField(key);
            if (field == null) {
                problems.add(path, "key column " + key + " of entity " + entity + ": " + Checks.notAField(key, schema));
            } else if (!AvroTypes.isKey(field.schema())) {
                problems.add(
                        path,
                        "key column " + key + " of entity " + entity + " is " + AvroTypes.describe(field.schema())
                                + "; a key column must be " + AvroTypes.SCALAR_TYPES);
            }
        }
    }

    private Optional<FeatureDefinition> readFeature(
            Item item, Map<String, YamlPath> featureNames, Optional<Duration> granularity, Optional<Schema> schema) {
        Problems.Mark mark = problems.mark();
        Optional<Mapping> opened = checks.open(item, List.of("name", "aggregation"), List.of("field", "window"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> checks.declare(m, "feature", n, featureNames));
        Optional<Aggregation> aggregation = m.oneOf("aggregation", "an aggregation", AGGREGATIONS, AGGREGATION_ALIASES)
                .flatMap(Aggregation::fromYamlName);
        Optional<String> field = m.string("field");
        Optional<Duration> window = m.positiveDuration("window");
        aggregation.ifPresent(agg -> {
            if (agg.needsField() && !m.has("field")) {
                problems.add(m.path(), agg.yamlName() + " needs a field");
            }
            if (!agg.needsField() && m.has("field")) {
                problems.add(m.at("field"), agg.yamlName() + " takes no field");
            }
            if (agg.needsWindow() && !m.has("window")) {
                problems.add(m.path(), agg.yamlName() + " needs a window (only first and last may go without)");
            }
            if (agg.needsField() && field.isPresent() && schema.isPresent()) {
                checkFieldType(m.at("field"), agg, field.get(), schema.get());
            }
        });
        if (window.isPresent() && granularity.isPresent() && !Durations.isMultiple(window.get(), granularity.get())) {
            problems.add(
                    m.at("window"),
                    Durations.format(window.get()) + " is not a multiple of the view's granularity "
                            + Durations.format(granularity.get()));
        }
        return mark.build(() -> new FeatureDefinition(name.orElseThrow(), aggregation.orElseThrow(), field, window));
    }

    private void checkFieldType(YamlPath path, Aggregation aggregation, String fieldName, Schema schema) {
        Schema.Field field = schema.getField(fieldName);
        if (field == null) {
            problems.add(path, Checks.notAField(fieldName, schema));
        } else if (aggregation.numeric() && !AvroTypes.isNumeric(field.schema())) {
            problems.add(
                    path,
                    aggregation.yamlName() + " needs a numeric field (" + AvroTypes.NUMERIC_TYPES + "), but "
                            + fieldName + " is " + AvroTypes.describe(field.schema()));
        } else if (!AvroTypes.isScalar(field.schema())) {
            problems.add(
                    path,
                    aggregation.yamlName() + " needs a field of type " + AvroTypes.SCALAR_TYPES + ", but " + fieldName
                            + " is " + AvroTypes.describe(field.schema()));
        }
    }
}
