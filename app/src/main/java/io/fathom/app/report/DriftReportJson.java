package io.fathom.app.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fathom.app.report.DriftComparison.FeatureDrift;
import io.fathom.monitor.drift.Baseline;
import io.fathom.monitor.drift.DriftReport;
import io.fathom.monitor.drift.DriftStatistics;
import io.fathom.monitor.drift.LiveWindow;
import java.io.UncheckedIOException;

/**
 * The JSON form of a {@link DriftComparison}. Per feature: its type, n and nulls on each side, every
 * statistic, the score, threshold and verdict, and both histograms over the same bins: for a numeric
 * feature the reference's frozen {@code inner_edges} (bin i holds the values v with i inner edges ≤ v,
 * so the first and last bins are open-ended), for a categorical one the reference's top categories then
 * {@code __other__}. Undefined numbers (an insufficient window's statistics, KS and Wasserstein of a
 * categorical feature) are null.
 */
public final class DriftReportJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DriftReportJson() {}

    public static String write(DriftComparison comparison) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("reference", comparison.reference());
        root.put("current", comparison.current());
        root.put("method", comparison.rule().method());
        root.put("threshold", comparison.rule().threshold());
        root.put("min_samples", DriftComparison.MIN_SAMPLES);
        ArrayNode drifted = root.putArray("drifted");
        comparison.drifted().forEach(drifted::add);
        ArrayNode features = root.putArray("features");
        comparison.features().forEach(f -> features.add(feature(f)));
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode feature(FeatureDrift feature) {
        DriftReport report = feature.report();
        ObjectNode node = MAPPER.createObjectNode();
        node.put("name", feature.name());
        node.put("type", feature.numeric() ? "numeric" : "categorical");
        node.put("method", report.method().code());
        number(node, "score", report.score());
        node.put("threshold", report.threshold());
        node.put("verdict", report.verdict().name());
        ObjectNode reference = node.putObject("reference");
        reference.put("n", feature.reference().count());
        reference.put("nulls", feature.reference().nulls());
        number(reference, "null_rate", feature.reference().nullRate());
        ObjectNode current = node.putObject("current");
        current.put("n", report.n());
        current.put("nulls", report.nulls());
        number(current, "null_rate", report.nullRate());
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            number(reference, "mean", numeric.mean());
            number(reference, "std", numeric.populationStd());
            number(reference, "min", numeric.min());
            number(reference, "max", numeric.max());
            LiveWindow.Numeric window = (LiveWindow.Numeric) feature.current();
            if (!window.sketch().isEmpty()) {
                number(current, "min", window.sketch().getMinItem());
                number(current, "max", window.sketch().getMaxItem());
            }
        }
        ObjectNode statistics = node.putObject("statistics");
        report.statistics().ifPresentOrElse(s -> statistics(statistics, s), () -> statistics(statistics, null));
        ObjectNode histogram = node.putObject("histogram");
        if (feature.reference() instanceof Baseline.Numeric numeric) {
            ArrayNode edges = histogram.putArray("inner_edges");
            for (double edge : numeric.edges().innerEdges()) {
                edges.add(edge);
            }
        } else {
            ArrayNode categories = histogram.putArray("categories");
            ((Baseline.Categorical) feature.reference()).categories().keySet().forEach(categories::add);
            categories.add(Baseline.OTHER);
        }
        counts(histogram.putArray("reference_counts"), feature.reference().binCounts());
        counts(histogram.putArray("current_counts"), feature.current().binCounts());
        return node;
    }

    private static void statistics(ObjectNode node, DriftStatistics s) {
        number(node, "psi", s == null ? Double.NaN : s.psi());
        number(node, "kl", s == null ? Double.NaN : s.kl());
        number(node, "js", s == null ? Double.NaN : s.js());
        number(node, "wasserstein_norm", s == null ? Double.NaN : s.wassersteinNorm());
        number(node, "ks_statistic", s == null ? Double.NaN : s.ksStatistic());
        number(node, "ks_p_value", s == null ? Double.NaN : s.ksPValue());
        number(node, "chi2_statistic", s == null ? Double.NaN : s.chi2Statistic());
        number(node, "chi2_p_value", s == null ? Double.NaN : s.chi2PValue());
        if (s == null) {
            node.putNull("chi2_degrees_of_freedom");
        } else {
            node.put("chi2_degrees_of_freedom", s.chi2DegreesOfFreedom());
        }
    }

    private static void counts(ArrayNode array, long[] counts) {
        for (long c : counts) {
            array.add(c);
        }
    }

    private static void number(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }
}
