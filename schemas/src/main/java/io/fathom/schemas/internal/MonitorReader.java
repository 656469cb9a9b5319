package io.fathom.schemas.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.MonitorDefinition.BiasRule;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Entry;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads one item of {@code monitors}: a drift monitor (it has {@code view}) or a bias monitor ({@code model}). */
final class MonitorReader extends ItemReader {
    MonitorReader(Checks checks, Symbols symbols) {
        super(checks, symbols);
    }

    Optional<MonitorDefinition> read(Item item) {
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
        Problems.Mark mark = problems.mark();
        Mapping m = checks.open(
                        item,
                        List.of("view", "window", "drift"),
                        List.of("min_samples", "grace", "for", "resolve_after"))
                .orElseThrow();
        Optional<String> view = m.string("view")
                .filter(v -> checks.reference(m.at("view"), v, "view", "views", symbols.views.keySet()))
                .filter(v -> checks.once(
                        m.at("view"), v, symbols.driftMonitorsByView, "view " + v + " already has a drift monitor"));
        Optional<Duration> window = m.positiveDuration("window");
        Optional<Long> minSamples =
                m.has("min_samples") ? m.wholeNumber("min_samples", 1) : Optional.of(DriftMonitor.DEFAULT_MIN_SAMPLES);
        WindowRules rules = WindowRules.read(m);
        Optional<Mapping> drift = m.mapping("drift", List.of("method", "threshold"), List.of("features"));
        Optional<DriftRule> rule = drift.flatMap(this::readDriftRule);
        Map<String, DriftRule> overrides =
                drift.map(d -> readOverrides(d, view, rule)).orElse(Map.of());
        return mark.build(() -> new DriftMonitor(
                view.orElseThrow(),
                window.orElseThrow(),
                minSamples.orElseThrow(),
                rule.orElseThrow(),
                overrides,
                rules.grace().orElseThrow(),
                rules.forWindows().orElseThrow(),
                rules.resolveAfter().orElseThrow()));
    }

    private Optional<DriftRule> readDriftRule(Mapping drift) {
        Optional<String> method = drift.oneOf("method", "a drift method", DriftRule.METHODS, Map.of());
        Optional<Double> threshold = positiveThreshold(drift);
        return method.flatMap(md -> threshold.map(t -> new DriftRule(md, t)));
    }

    private static Optional<Double> positiveThreshold(Mapping m) {
        return m.number("threshold")
                .filter(t -> m.check(t > 0, "threshold", "must be greater than 0, was " + Quoting.number(t)));
    }

    /** Per-feature rules; each names a feature of the view, and inherits what it does not say. */
    private Map<String, DriftRule> readOverrides(
            Mapping drift, Optional<String> view, Optional<DriftRule> defaultRule) {
        Map<String, DriftRule> overrides = new LinkedHashMap<>();
        for (Entry entry : drift.entries("features").orElse(List.of())) {
            Problems.Mark mark = problems.mark();
            view.ifPresent(v -> {
                Set<String> features = symbols.featuresOf(v);
                if (!features.contains(entry.key())) {
                    problems.add(
                            entry.path(),
                            "view " + v + " has no feature " + Quoting.quote(entry.key())
                                    + Checks.hint(entry.key(), features, "features"));
                }
            });
            Mapping.open(entry.node(), entry.path(), problems, List.of(), List.of("method", "threshold"))
                    .flatMap(m -> readOverride(m, defaultRule))
                    .filter(rule -> mark.clean())
                    .ifPresent(rule -> overrides.put(entry.key(), rule));
        }
        return overrides;
    }

    private Optional<DriftRule> readOverride(Mapping m, Optional<DriftRule> defaultRule) {
        Optional<String> method = m.has("method")
                ? m.oneOf("method", "a drift method", DriftRule.METHODS, Map.of())
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
        Optional<Double> t = threshold;
        return method.flatMap(md -> t.map(th -> new DriftRule(md, th)));
    }

    private Optional<BiasMonitor> readBiasMonitor(Item item) {
        Problems.Mark mark = problems.mark();
        Mapping m = checks.open(
                        item,
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
                .filter(md -> checks.once(
                        m.at("model"), md, symbols.biasMonitorsByModel, "model " + md + " already has a bias monitor"));
        Optional<String> predictions = checks.topic(m, "predictions");
        // Optional: a bad value is reported, and then nothing is built.
        Optional<String> labels = checks.topic(m, "labels");
        Optional<List<String>> protectedAttributes = m.distinctStrings("protected", "protected attribute");
        Optional<BiasRule> bias = m.has("bias")
                ? m.mapping("bias", List.of(), List.of("disparate_impact_min", "parity_difference_max"))
                        .flatMap(MonitorReader::readBiasRule)
                : Optional.of(BiasRule.DEFAULT);
        Optional<Duration> window =
                m.has("window") ? m.positiveDuration("window") : Optional.of(BiasMonitor.DEFAULT_WINDOW);
        WindowRules rules = WindowRules.read(m);
        Optional<Duration> labelDelay = m.has("label_delay")
                ? m.nonNegativeDuration("label_delay")
                : Optional.of(BiasMonitor.DEFAULT_LABEL_DELAY);
        Optional<Long> minGroupSize = m.has("min_group_size")
                ? m.wholeNumber("min_group_size", 1)
                : Optional.of(BiasMonitor.DEFAULT_MIN_GROUP_SIZE);
        return mark.build(() -> new BiasMonitor(
                model.orElseThrow(),
                predictions.orElseThrow(),
                labels,
                protectedAttributes.orElseThrow(),
                bias.orElseThrow(),
                window.orElseThrow(),
                rules.grace().orElseThrow(),
                labelDelay.orElseThrow(),
                minGroupSize.orElseThrow(),
                rules.forWindows().orElseThrow(),
                rules.resolveAfter().orElseThrow()));
    }

    private static Optional<BiasRule> readBiasRule(Mapping bias) {
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

    /** The alerting rules both kinds of monitor share, with their defaults. */
    private record WindowRules(Optional<Duration> grace, Optional<Integer> forWindows, Optional<Integer> resolveAfter) {

        static WindowRules read(Mapping m) {
            return new WindowRules(
                    m.has("grace") ? m.nonNegativeDuration("grace") : Optional.of(MonitorDefinition.DEFAULT_GRACE),
                    m.has("for") ? m.smallWholeNumber("for", 1) : Optional.of(MonitorDefinition.DEFAULT_FOR_WINDOWS),
                    m.has("resolve_after")
                            ? m.smallWholeNumber("resolve_after", 1)
                            : Optional.of(MonitorDefinition.DEFAULT_RESOLVE_AFTER));
        }
    }
}
