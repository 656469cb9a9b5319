package io.fathom.schemas.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.internal.Mapping.Entry;
import io.fathom.schemas.internal.Mapping.Item;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/**
 * Reads a feature-definitions file: parses the YAML into a tree, walks all of it reporting every
 * problem with its path, and builds the records only if there was none.
 *
 * <p>Each {@code read*} method reports the problems of one node and returns its record only if
 * reading the node added no problem, so a record constructor never sees an invalid value. A value
 * that is wrong is reported once: what depends on it (a reference to a misspelt entity, a field
 * check against a schema that did not load) is skipped rather than reported again.
 */
public final class DefinitionsReader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String NAME_RULE = "use letters, digits and _, starting with a letter or _";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final String TOPIC_RULE = "use letters, digits, '.', '_' and '-', at most 249 characters";

    private static final List<String> FORMATS =
            Arrays.stream(EventFormat.values()).map(EventFormat::yamlName).toList();
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

    private final Path baseDirectory;
    private final Problems problems;

    // What the cross-references need, keyed by the name as written (even when the name is otherwise
    // invalid, so that a bad name is reported once and not again at every reference to it).
    private final Map<String, YamlPath> entityNames = new LinkedHashMap<>();
    private final Map<String, Optional<List<String>>> entityKeys = new HashMap<>();
    private final Map<String, YamlPath> sourceNames = new LinkedHashMap<>();
    private final Map<String, Optional<Schema>> sourceSchemas = new HashMap<>();
    private final Map<String, YamlPath> viewNames = new LinkedHashMap<>();
    private final Map<String, Set<String>> viewFeatures = new HashMap<>();
    private final Map<String, YamlPath> driftMonitorsByView = new HashMap<>();
    private final Map<String, YamlPath> biasMonitorsByModel = new HashMap<>();

    private DefinitionsReader(Path baseDirectory, Problems problems) {
        this.baseDirectory = baseDirectory;
        this.problems = problems;
    }

    /**
     * Reads and validates the file; relative schema paths resolve against its directory.
     *
     * @throws InvalidDefinitionsException listing every problem in file order
     * @throws UncheckedIOException if the file cannot be read
     */
    public static FeatureDefinitions read(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read definitions file " + file, e);
        }
        SourceMap sourceMap;
        JsonNode root;
        try {
            sourceMap = SourceMap.scan(YAML, content);
            root = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionsException(file.toString(), List.of(syntaxProblem(e)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read definitions file " + file, e);
        }
        Problems problems = new Problems(sourceMap);
        for (SourceMap.Duplicate duplicate : sourceMap.duplicates()) {
            problems.addAt(duplicate.position(), duplicate.path(), "duplicate key");
        }
        for (SourceMap.Alias alias : sourceMap.aliases()) {
            problems.addUnreadable(
                    alias.position(),
                    alias.path(),
                    "YAML aliases (*" + alias.name() + ") are not supported; write the value out");
        }
        sourceMap
                .secondDocument()
                .ifPresent(at -> problems.addAt(
                        at, YamlPath.root(), "line " + at.line() + ": only one YAML document is allowed per file"));
        Path directory = file.toAbsolutePath().getParent();
        Optional<FeatureDefinitions> definitions = new DefinitionsReader(directory, problems).readRoot(root);
        if (!problems.isEmpty()) {
            throw new InvalidDefinitionsException(file.toString(), problems.inFileOrder());
        }
        return definitions.orElseThrow();
    }

    private static String syntaxProblem(JsonProcessingException e) {
        String message = Arrays.stream(String.valueOf(e.getOriginalMessage()).split("\\R"))
                .filter(line -> !line.isBlank()
                        && !line.startsWith(" in ")
                        && !line.startsWith("    ")
                        && !line.strip().equals("^"))
                .map(String::strip)
                .collect(Collectors.joining(", "));
        JsonLocation location = e.getLocation();
        String where =
                location == null ? "" : "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
        return where + "not valid YAML: " + message;
    }

    // ---------------------------------------------------------------------------------------- file

    private Optional<FeatureDefinitions> readRoot(JsonNode root) {
        YamlPath top = YamlPath.root();
        if (root == null || root.isMissingNode() || root.isNull()) {
            problems.add(top, "the file is empty; expected entities, sources, views and monitors");
            return Optional.empty();
        }
        if (!root.isObject()) {
            problems.add(
                    top,
                    "the file must hold a mapping with entities, sources, views and monitors, not "
                            + Quoting.value(root));
            return Optional.empty();
        }
        int before = problems.count();
        Mapping file = Mapping.open(root, top, problems, List.of("entities", "sources", "views"), List.of("monitors"))
                .orElseThrow();
        List<EntityDefinition> entities = readAll(file, "entities", true, this::readEntity);
        List<SourceDefinition> sources = readAll(file, "sources", true, this::readSource);
        List<ViewDefinition> views = readAll(file, "views", true, this::readView);
        List<MonitorDefinition> monitors = readAll(file, "monitors", false, this::readMonitor);
        return built(before, () -> new FeatureDefinitions(entities, sources, views, monitors));
    }

    private <T> List<T> readAll(Mapping file, String key, boolean nonEmpty, Function<Item, Optional<T>> reader) {
        return file.sequence(key, nonEmpty)
                .map(items ->
                        items.stream().map(reader).flatMap(Optional::stream).toList())
                .orElse(List.of());
    }

    /** The value if no problem was added since {@code before}. */
    private <T> Optional<T> built(int before, Supplier<T> value) {
        return problems.count() == before ? Optional.of(value.get()) : Optional.empty();
    }

    // ------------------------------------------------------------------------------------ entities

    private Optional<EntityDefinition> readEntity(Item item) {
        int before = problems.count();
        Optional<Mapping> opened = Mapping.open(item.node(), item.path(), problems, List.of("name", "keys"), List.of());
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> declare(m, "entity", n, entityNames));
        Optional<List<String>> keys = m.distinctStrings("keys", "key column");
        name.ifPresent(n -> entityKeys.putIfAbsent(n, keys));
        return built(before, () -> new EntityDefinition(name.orElseThrow(), keys.orElseThrow()));
    }

    // ------------------------------------------------------------------------------------- sources

    private Optional<SourceDefinition> readSource(Item item) {
        int before = problems.count();
        Optional<Mapping> opened = Mapping.open(
                item.node(), item.path(), problems, List.of("name", "topic", "format", "timestamp"), List.of("schema"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> declare(m, "source", n, sourceNames));
        Optional<String> topic = topic(m, "topic");
        Optional<EventFormat> format = m.string("format")
                .filter(f -> oneOf(f, m.at("format"), "a format", FORMATS, Map.of()))
                .flatMap(EventFormat::fromYamlName);
        Optional<Schema> schema = m.string("schema").flatMap(s -> loadSchema(s, m.at("schema")));
        format.filter(f -> f != EventFormat.JSON && !m.has("schema"))
                .ifPresent(f -> problems.add(
                        m.path(), "format " + f.yamlName() + " needs a schema (the path of an Avro record schema)"));
        Optional<String> timestamp = m.string("timestamp");
        if (schema.isPresent() && timestamp.isPresent()) {
            Schema.Field field = schema.get().getField(timestamp.get());
            if (field == null) {
                problems.add(m.at("timestamp"), notAField(timestamp.get(), schema.get()));
            } else if (!AvroTypes.isTimestamp(field.schema())) {
                problems.add(
                        m.at("timestamp"),
                        "field " + field.name() + " is " + AvroTypes.describe(field.schema())
                                + "; an event time must be a " + AvroTypes.TIMESTAMP_TYPES);
            }
        }
        name.ifPresent(n -> sourceSchemas.putIfAbsent(n, schema));
        return built(
                before,
                () -> new SourceDefinition(
                        name.orElseThrow(),
                        topic.orElseThrow(),
                        format.orElseThrow(),
                        schema,
                        timestamp.orElseThrow()));
    }

    private Optional<Schema> loadSchema(String written, YamlPath path) {
        Path file;
        try {
            file = baseDirectory.resolve(written);
        } catch (InvalidPathException e) {
            problems.add(path, Quoting.quote(written) + " is not a valid path: " + e.getReason());
            return Optional.empty();
        }
        if (!Files.exists(file)) {
            problems.add(
                    path, Quoting.quote(written) + " not found (schema paths are relative to the definitions file)");
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            problems.add(path, Quoting.quote(written) + " is not a file");
            return Optional.empty();
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(file.toFile());
        } catch (IOException | AvroRuntimeException e) {
            problems.add(path, Quoting.quote(written) + " is not a valid Avro schema: " + firstLine(e.getMessage()));
            return Optional.empty();
        }
        if (schema.getType() != Schema.Type.RECORD) {
            problems.add(
                    path,
                    Quoting.quote(written) + " holds a schema of type "
                            + schema.getType().getName() + "; an event schema must be a record");
            return Optional.empty();
        }
        return Optional.of(schema);
    }

    private static String firstLine(String message) {
        return message == null
                ? "(no detail)"
                : message.lines().findFirst().orElse("").strip();
    }

    // --------------------------------------------------------------------------------------- views

    private Optional<ViewDefinition> readView(Item item) {
        int before = problems.count();
        Optional<Mapping> opened = Mapping.open(
                item.node(),
                item.path(),
                problems,
                List.of("name", "entity", "source", "granularity", "ttl", "features"),
                List.of("allowed_lateness"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> declare(m, "view", n, viewNames));
        Optional<String> entity = m.string("entity")
                .filter(e -> reference(m.at("entity"), e, "entity", "entities", entityNames.keySet()));
        Optional<String> source =
                m.string("source").filter(s -> reference(m.at("source"), s, "source", "sources", sourceNames.keySet()));
        Optional<Duration> granularity = m.positiveDuration("granularity");
        Optional<Duration> ttl = m.positiveDuration("ttl");
        Optional<Duration> allowedLateness =
                m.has("allowed_lateness") ? m.nonNegativeDuration("allowed_lateness") : Optional.of(Duration.ZERO);
        Optional<Schema> schema = source.flatMap(s -> sourceSchemas.getOrDefault(s, Optional.empty()));
        if (entity.isPresent() && schema.isPresent()) {
            entityKeys
                    .getOrDefault(entity.get(), Optional.empty())
                    .ifPresent(keys -> checkKeyColumns(m.at("entity"), entity.get(), keys, schema.get()));
        }
        Map<String, YamlPath> featureNames = new LinkedHashMap<>();
        List<FeatureDefinition> features = m.sequence("features", true)
                .map(items -> items.stream()
                        .map(feature -> readFeature(feature, featureNames, granularity, schema))
                        .flatMap(Optional::stream)
                        .toList())
                .orElse(List.of());
        name.ifPresent(n -> viewFeatures.putIfAbsent(n, featureNames.keySet()));
        return built(
                before,
                () -> new ViewDefinition(
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
                problems.add(path, "key column " + key + " of entity " + entity + ": " + notAField(key, schema));
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
        int before = problems.count();
        Optional<Mapping> opened = Mapping.open(
                item.node(), item.path(), problems, List.of("name", "aggregation"), List.of("field", "window"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> declare(m, "feature", n, featureNames));
        Optional<Aggregation> aggregation = m.string("aggregation")
                .filter(a -> oneOf(a, m.at("aggregation"), "an aggregation", AGGREGATIONS, AGGREGATION_ALIASES))
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
        return built(before, () -> new FeatureDefinition(name.orElseThrow(), aggregation.orElseThrow(), field, window));
    }

    private void checkFieldType(YamlPath path, Aggregation aggregation, String fieldName, Schema schema) {
        Schema.Field field = schema.getField(fieldName);
        if (field == null) {
            problems.add(path, notAField(fieldName, schema));
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

    // ------------------------------------------------------------------------------------ monitors

    private Optional<MonitorDefinition> readMonitor(Item item) {
        JsonNode node = item.node();
        if (node == null || !node.isObject()) {
            problems.add(item.path(), "expected a mapping, got " + Quoting.value(node));
            return Optional.empty();
        }
        boolean drift = node.has("view");
        boolean bias = node.has("model");
        if (drift && bias) {
            problems.add(
                    item.path(),
                    "has both view (a drift monitor) and model (a bias monitor); declare them as two monitors");
            return Optional.empty();
        }
        if (drift) {
            return readDriftMonitor(item).map(MonitorDefinition.class::cast);
        }
        if (bias) {
            return readBiasMonitor(item).map(MonitorDefinition.class::cast);
        }
        problems.add(item.path(), "a monitor needs either view (a drift monitor) or model (a bias monitor)");
        return Optional.empty();
    }

    private Optional<DriftMonitor> readDriftMonitor(Item item) {
        int before = problems.count();
        Mapping m = Mapping.open(
                        item.node(),
                        item.path(),
                        problems,
                        List.of("view", "window", "drift"),
                        List.of("min_samples", "grace", "for", "resolve_after"))
                .orElseThrow();
        Optional<String> view = m.string("view")
                .filter(v -> reference(m.at("view"), v, "view", "views", viewNames.keySet()))
                .filter(v -> once(m.at("view"), v, driftMonitorsByView, "view " + v + " already has a drift monitor"));
        Optional<Duration> window = m.positiveDuration("window");
        Optional<Long> minSamples =
                m.has("min_samples") ? m.wholeNumber("min_samples", 1) : Optional.of(DriftMonitor.DEFAULT_MIN_SAMPLES);
        WindowRules rules = readWindowRules(m);
        Optional<DriftRule> rule = Optional.empty();
        Map<String, DriftRule> overrides = new LinkedHashMap<>();
        Optional<Mapping> drift = m.mapping("drift", List.of("method", "threshold"), List.of("features"));
        if (drift.isPresent()) {
            rule = readDriftRule(drift.get());
            overrides = readOverrides(drift.get(), view, rule);
        }
        Optional<DriftRule> defaultRule = rule;
        Map<String, DriftRule> featureOverrides = overrides;
        return built(
                before,
                () -> new DriftMonitor(
                        view.orElseThrow(),
                        window.orElseThrow(),
                        minSamples.orElseThrow(),
                        defaultRule.orElseThrow(),
                        featureOverrides,
                        rules.grace().orElseThrow(),
                        rules.forWindows().orElseThrow(),
                        rules.resolveAfter().orElseThrow()));
    }

    private Optional<DriftRule> readDriftRule(Mapping drift) {
        Optional<String> method = drift.string("method")
                .filter(s -> oneOf(s, drift.at("method"), "a drift method", DriftRule.METHODS, Map.of()));
        Optional<Double> threshold = positiveThreshold(drift);
        return method.flatMap(md -> threshold.map(t -> new DriftRule(md, t)));
    }

    private Optional<Double> positiveThreshold(Mapping m) {
        return m.number("threshold")
                .filter(t -> m.check(t > 0, "threshold", "must be greater than 0, was " + Quoting.number(t)));
    }

    /** Per-feature rules; each names a feature of the view, and inherits what it does not say. */
    private Map<String, DriftRule> readOverrides(
            Mapping drift, Optional<String> view, Optional<DriftRule> defaultRule) {
        Map<String, DriftRule> overrides = new LinkedHashMap<>();
        for (Entry entry : drift.entries("features").orElse(List.of())) {
            int before = problems.count();
            view.ifPresent(v -> {
                Set<String> features = viewFeatures.getOrDefault(v, Set.of());
                if (!features.contains(entry.key())) {
                    problems.add(
                            entry.path(),
                            "view " + v + " has no feature " + Quoting.quote(entry.key())
                                    + hint(entry.key(), features, "features"));
                }
            });
            Optional<Mapping> opened =
                    Mapping.open(entry.node(), entry.path(), problems, List.of(), List.of("method", "threshold"));
            if (opened.isEmpty()) {
                continue;
            }
            Mapping m = opened.get();
            Optional<String> method = m.has("method")
                    ? m.string("method")
                            .filter(s -> oneOf(s, m.at("method"), "a drift method", DriftRule.METHODS, Map.of()))
                    : defaultRule.map(DriftRule::method);
            Optional<Double> threshold = Optional.empty();
            if (m.has("threshold")) {
                threshold = positiveThreshold(m);
            } else if (method.isPresent() && defaultRule.isPresent()) {
                if (method.get().equals(defaultRule.get().method())) {
                    threshold = Optional.of(defaultRule.get().threshold());
                } else {
                    problems.add(
                            m.path(),
                            "missing threshold: method " + method.get() + " differs from the monitor's ("
                                    + defaultRule.get().method() + "), so its threshold cannot be inherited");
                }
            }
            if (problems.count() == before && method.isPresent() && threshold.isPresent()) {
                overrides.put(entry.key(), new DriftRule(method.get(), threshold.get()));
            }
        }
        return overrides;
    }

    private Optional<BiasMonitor> readBiasMonitor(Item item) {
        int before = problems.count();
        Mapping m = Mapping.open(
                        item.node(),
                        item.path(),
                        problems,
                        List.of("model", "predictions", "protected"),
                        List.of(
                                "labels",
                                "bias",
                                "window",
                                "grace",
                                "label_delay",
                                "min_group_size",
                                "for",
                                "resolve_after"))
                .orElseThrow();
        Optional<String> model = m.string("model")
                .filter(md ->
                        once(m.at("model"), md, biasMonitorsByModel, "model " + md + " already has a bias monitor"));
        Optional<String> predictions = topic(m, "predictions");
        Optional<Optional<String>> labels =
                m.has("labels") ? topic(m, "labels").map(Optional::of) : Optional.of(Optional.empty());
        Optional<List<String>> protectedAttributes = m.distinctStrings("protected", "protected attribute");
        Optional<BiasRule> bias = m.has("bias")
                ? m.mapping("bias", List.of(), List.of("disparate_impact_min", "parity_difference_max"))
                        .flatMap(this::readBiasRule)
                : Optional.of(BiasRule.DEFAULT);
        Optional<Duration> window =
                m.has("window") ? m.positiveDuration("window") : Optional.of(BiasMonitor.DEFAULT_WINDOW);
        WindowRules rules = readWindowRules(m);
        Optional<Duration> labelDelay = m.has("label_delay")
                ? m.nonNegativeDuration("label_delay")
                : Optional.of(BiasMonitor.DEFAULT_LABEL_DELAY);
        Optional<Long> minGroupSize = m.has("min_group_size")
                ? m.wholeNumber("min_group_size", 1)
                : Optional.of(BiasMonitor.DEFAULT_MIN_GROUP_SIZE);
        return built(
                before,
                () -> new BiasMonitor(
                        model.orElseThrow(),
                        predictions.orElseThrow(),
                        labels.orElseThrow(),
                        protectedAttributes.orElseThrow(),
                        bias.orElseThrow(),
                        window.orElseThrow(),
                        rules.grace().orElseThrow(),
                        labelDelay.orElseThrow(),
                        minGroupSize.orElseThrow(),
                        rules.forWindows().orElseThrow(),
                        rules.resolveAfter().orElseThrow()));
    }

    private Optional<BiasRule> readBiasRule(Mapping bias) {
        Optional<Double> impact = fraction(bias, "disparate_impact_min", BiasRule.DEFAULT.disparateImpactMin());
        Optional<Double> parity = fraction(bias, "parity_difference_max", BiasRule.DEFAULT.parityDifferenceMax());
        return impact.flatMap(i -> parity.map(p -> new BiasRule(i, p)));
    }

    private static Optional<Double> fraction(Mapping m, String key, double defaultValue) {
        if (!m.has(key)) {
            return Optional.of(defaultValue);
        }
        return m.number(key).filter(v -> m.check(v > 0 && v <= 1, key, "must be in (0, 1], was " + Quoting.number(v)));
    }

    private record WindowRules(
            Optional<Duration> grace, Optional<Integer> forWindows, Optional<Integer> resolveAfter) {}

    private static WindowRules readWindowRules(Mapping m) {
        return new WindowRules(
                m.has("grace") ? m.nonNegativeDuration("grace") : Optional.of(MonitorDefinition.DEFAULT_GRACE),
                m.has("for") ? m.smallWholeNumber("for", 1) : Optional.of(MonitorDefinition.DEFAULT_FOR_WINDOWS),
                m.has("resolve_after")
                        ? m.smallWholeNumber("resolve_after", 1)
                        : Optional.of(MonitorDefinition.DEFAULT_RESOLVE_AFTER));
    }

    // ------------------------------------------------------------------------------------- helpers

    /** Registers a declared name; reports it if it repeats an earlier one or is not a valid name. */
    private void declare(Mapping m, String kind, String name, Map<String, YamlPath> declared) {
        YamlPath first = declared.putIfAbsent(name, m.path());
        if (first != null) {
            problems.add(
                    m.at("name"),
                    "duplicate " + kind + " name " + Quoting.quote(name) + " (first declared at " + first + ")");
        } else if (!NAME.matcher(name).matches()) {
            problems.add(m.at("name"), Quoting.quote(name) + " is not a valid name (" + NAME_RULE + ")");
        }
    }

    /** Whether {@code name} is declared; reports it, with the closest declared name, if not. */
    private boolean reference(YamlPath path, String name, String kind, String plural, Collection<String> declared) {
        if (declared.contains(name)) {
            return true;
        }
        problems.add(path, "no " + kind + " named " + Quoting.quote(name) + hint(name, declared, plural));
        return false;
    }

    /** Whether {@code key} is seen for the first time; reports a repetition with where it was first. */
    private boolean once(YamlPath path, String key, Map<String, YamlPath> seen, String message) {
        YamlPath first = seen.putIfAbsent(key, path.parent().orElseThrow());
        if (first == null) {
            return true;
        }
        problems.add(path, message + " (at " + first + ")");
        return false;
    }

    private static String hint(String name, Collection<String> declared, String plural) {
        if (declared.isEmpty()) {
            return " (there are no " + plural + ")";
        }
        return Suggestions.closest(name, declared)
                .map(c -> " (did you mean " + Quoting.quote(c) + "?)")
                .orElse(" (" + plural + ": " + String.join(", ", declared) + ")");
    }

    /** Whether {@code value} is one of {@code allowed}; reports it with a suggestion and the list if not. */
    private boolean oneOf(String value, YamlPath path, String what, List<String> allowed, Map<String, String> aliases) {
        if (allowed.contains(value)) {
            return true;
        }
        String suggestion = Optional.ofNullable(aliases.get(value.toLowerCase()))
                .or(() -> Suggestions.closest(value, allowed))
                .map(c -> ", did you mean " + Quoting.quote(c) + "?")
                .orElse("");
        problems.add(
                path,
                Quoting.quote(value) + " is not " + what + suggestion + " (allowed: " + String.join(", ", allowed)
                        + ")");
        return false;
    }

    private Optional<String> topic(Mapping m, String key) {
        return m.string(key)
                .filter(t -> m.check(
                        TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
                        key,
                        Quoting.quote(t) + " is not a valid Kafka topic name (" + TOPIC_RULE + ")"));
    }

    private static String notAField(String name, Schema schema) {
        List<String> fields =
                schema.getFields().stream().map(Schema.Field::name).toList();
        String hint = Suggestions.closest(name, fields)
                .map(c -> " (did you mean " + Quoting.quote(c) + "?)")
                .orElse(" (fields: " + String.join(", ", fields) + ")");
        return Quoting.quote(name) + " is not a field of schema " + schema.getFullName() + hint;
    }
}
