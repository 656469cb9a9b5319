package io.fathom.monitor.drift;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;

/**
 * The JSON form of a {@link Baseline}, version 1:
 *
 * <pre>{@code
 * {"version": 1, "created": "2026-11-27T12:00:00Z", "view": "user_txn", "source": "training set ...",
 *  "features": [
 *    {"name": "amount_sum_1h", "type": "numeric", "count": 9990, "nulls": 10,
 *     "mean": 41.2, "std": 12.5, "sample_std": 12.5006, "min": 0.0, "max": 310.0,
 *     "inner_edges": [...], "bin_counts": [...], "kll": "<base64 of the serialized KLL sketch>"},
 *    {"name": "last_country", "type": "categorical", "count": 9990, "nulls": 10, "top_n": 20,
 *     "categories": [{"value": "US", "count": 5000}, ...], "other": 120}]}
 * }</pre>
 *
 * Doubles are written in their shortest exact form, so a baseline reads back equal; an undefined
 * moment (NaN, or a sum that overflowed) is written as {@code null}. Reading checks every field and names the bad one.
 */
final class BaselineJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BaselineJson() {}

    public static String write(Baseline baseline) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", baseline.version());
        root.put("created", baseline.created().toString());
        root.put("view", baseline.view());
        root.put("source", baseline.source());
        ArrayNode features = root.putArray("features");
        for (Baseline.Feature feature : baseline.features().values()) {
            ObjectNode node = features.addObject();
            node.put("name", feature.name());
            if (feature instanceof Baseline.Numeric numeric) {
                node.put("type", "numeric");
                node.put("count", numeric.count());
                node.put("nulls", numeric.nulls());
                putDouble(node, "mean", numeric.mean());
                putDouble(node, "std", numeric.populationStd());
                putDouble(node, "sample_std", numeric.sampleStd());
                putDouble(node, "min", numeric.min());
                putDouble(node, "max", numeric.max());
                ArrayNode edges = node.putArray("inner_edges");
                for (double edge : numeric.edges().innerEdges()) {
                    edges.add(edge);
                }
                ArrayNode counts = node.putArray("bin_counts");
                for (long c : numeric.binCounts()) {
                    counts.add(c);
                }
                node.put("kll", Base64.getEncoder().encodeToString(numeric.sketchBytes()));
            } else if (feature instanceof Baseline.Categorical categorical) {
                node.put("type", "categorical");
                node.put("count", categorical.count());
                node.put("nulls", categorical.nulls());
                node.put("top_n", categorical.topN());
                ArrayNode categories = node.putArray("categories");
                categorical
                        .categories()
                        .forEach((value, count) ->
                                categories.addObject().put("value", value).put("count", count));
                node.put("other", categorical.other());
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write baseline of view " + baseline.view(), e);
        }
    }

    private static void putDouble(ObjectNode node, String field, double value) {
        if (!Double.isFinite(value)) {
            node.putNull(field);
        } else {
            node.put(field, value);
        }
    }

    public static Baseline read(String json) {
        if (json == null) {
            throw new InvalidBaselineException("baseline JSON is null");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidBaselineException("baseline is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidBaselineException("baseline must be a JSON object");
        }
        Fields top = new Fields(root, "");
        long version = top.integer("version");
        if (version != Baseline.VERSION) {
            throw new InvalidBaselineException("version: unsupported baseline version " + version
                    + " (this reader knows " + Baseline.VERSION + ")");
        }
        Instant created = top.instant("created");
        String view = top.text("view");
        String source = top.text("source");
        JsonNode featureArray = top.array("features");
        Map<String, Baseline.Feature> features = new LinkedHashMap<>();
        for (int i = 0; i < featureArray.size(); i++) {
            String path = "features[" + i + "]";
            JsonNode node = featureArray.get(i);
            if (!node.isObject()) {
                throw new InvalidBaselineException(path + ": must be an object");
            }
            Baseline.Feature feature = readFeature(new Fields(node, path + "."), path);
            if (features.putIfAbsent(feature.name(), feature) != null) {
                throw new InvalidBaselineException(path + ".name: feature " + feature.name() + " appears twice");
            }
        }
        try {
            return new Baseline((int) version, created, view, source, features);
        } catch (IllegalArgumentException e) {
            throw new InvalidBaselineException(e.getMessage(), e);
        }
    }

    private static Baseline.Feature readFeature(Fields f, String path) {
        String name = f.text("name");
        String type = f.text("type");
        long count = f.nonNegative("count");
        long nulls = f.nonNegative("nulls");
        try {
            switch (type) {
                case "numeric" -> {
                    double[] edges = f.doubles("inner_edges");
                    BinEdges binEdges;
                    try {
                        binEdges = BinEdges.of(edges);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidBaselineException(path + ".inner_edges: " + e.getMessage(), e);
                    }
                    long[] counts = f.counts("bin_counts");
                    if (counts.length != binEdges.binCount()) {
                        throw new InvalidBaselineException(path + ".bin_counts: " + counts.length + " counts for "
                                + binEdges.binCount() + " bins (one more than the inner edges)");
                    }
                    requireSum(path + ".bin_counts", counts, count);
                    byte[] sketch = f.base64("kll");
                    long sketchN;
                    try {
                        sketchN = KllDoublesSketch.wrap(Memory.wrap(sketch)).getN();
                    } catch (RuntimeException e) {
                        throw new InvalidBaselineException(
                                path + ".kll: not a serialized KLL sketch: " + e.getMessage(), e);
                    }
                    if (sketchN != count) {
                        throw new InvalidBaselineException(
                                path + ".kll: the sketch holds " + sketchN + " values but count is " + count);
                    }
                    return new Baseline.Numeric(
                            name,
                            count,
                            nulls,
                            binEdges,
                            counts,
                            sketch,
                            f.nullableDouble("mean"),
                            f.nullableDouble("std"),
                            f.nullableDouble("sample_std"),
                            f.nullableDouble("min"),
                            f.nullableDouble("max"));
                }
                case "categorical" -> {
                    long topN = f.integer("top_n");
                    if (topN < 1 || topN > Integer.MAX_VALUE) {
                        throw new InvalidBaselineException(path + ".top_n: must be a positive int, was " + topN);
                    }
                    JsonNode array = f.array("categories");
                    Map<String, Long> categories = new LinkedHashMap<>();
                    for (int i = 0; i < array.size(); i++) {
                        String entryPath = path + ".categories[" + i + "]";
                        JsonNode entry = array.get(i);
                        if (!entry.isObject()) {
                            throw new InvalidBaselineException(entryPath + ": must be an object {value, count}");
                        }
                        Fields e = new Fields(entry, entryPath + ".");
                        String value = e.text("value");
                        if (categories.putIfAbsent(value, e.nonNegative("count")) != null) {
                            throw new InvalidBaselineException(
                                    entryPath + ".value: category " + value + " appears twice");
                        }
                    }
                    long other = f.nonNegative("other");
                    if (categories.size() > topN) {
                        throw new InvalidBaselineException(
                                path + ".categories: " + categories.size() + " categories, more than top_n " + topN);
                    }
                    long sum = other
                            + categories.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum();
                    if (sum != count) {
                        throw new InvalidBaselineException(
                                path + ".count: is " + count + " but the categories and other add up to " + sum);
                    }
                    return new Baseline.Categorical(name, count, nulls, (int) topN, categories, other);
                }
                default -> throw new InvalidBaselineException(
                        path + ".type: must be numeric or categorical, was " + type);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidBaselineException(path + ": " + e.getMessage(), e);
        }
    }

    private static void requireSum(String path, long[] counts, long count) {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        if (sum != count) {
            throw new InvalidBaselineException(path + ": the counts add up to " + sum + " but count is " + count);
        }
    }

    /** Typed access to an object's fields, with errors naming {@code prefix + field}. */
    private record Fields(JsonNode node, String prefix) {
        JsonNode required(String field) {
            JsonNode value = node.get(field);
            if (value == null) {
                throw new InvalidBaselineException(prefix + field + ": missing");
            }
            return value;
        }

        String text(String field) {
            JsonNode value = required(field);
            if (!value.isTextual()) {
                throw bad(field, "a string", value);
            }
            return value.textValue();
        }

        long integer(String field) {
            JsonNode value = required(field);
            if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                throw bad(field, "an integer", value);
            }
            return value.longValue();
        }

        long nonNegative(String field) {
            long value = integer(field);
            if (value < 0) {
                throw new InvalidBaselineException(prefix + field + ": must be non-negative, was " + value);
            }
            return value;
        }

        double nullableDouble(String field) {
            JsonNode value = required(field);
            if (value.isNull()) {
                return Double.NaN;
            }
            if (!value.isNumber()) {
                throw bad(field, "a number or null", value);
            }
            return value.doubleValue();
        }

        Instant instant(String field) {
            String text = text(field);
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new InvalidBaselineException(
                        prefix + field + ": must be an ISO-8601 instant like 2026-11-27T12:00:00Z, was " + text, e);
            }
        }

        JsonNode array(String field) {
            JsonNode value = required(field);
            if (!value.isArray()) {
                throw bad(field, "an array", value);
            }
            return value;
        }

        double[] doubles(String field) {
            return elements(field, JsonNode::isNumber, "a number")
                    .mapToDouble(JsonNode::doubleValue)
                    .toArray();
        }

        long[] counts(String field) {
            return elements(
                            field,
                            value -> value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0,
                            "a non-negative integer")
                    .mapToLong(JsonNode::longValue)
                    .toArray();
        }

        /** The elements of an array, each reported as {@code field[i]} unless {@code ok}: it must be {@code what}. */
        private Stream<JsonNode> elements(String field, Predicate<JsonNode> ok, String what) {
            JsonNode array = array(field);
            return IntStream.range(0, array.size()).mapToObj(i -> {
                JsonNode value = array.get(i);
                if (!ok.test(value)) {
                    throw new InvalidBaselineException(
                            prefix + field + "[" + i + "]: must be " + what + ", was " + value);
                }
                return value;
            });
        }

        byte[] base64(String field) {
            String text = text(field);
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new InvalidBaselineException(prefix + field + ": not Base64: " + e.getMessage(), e);
            }
        }

        private InvalidBaselineException bad(String field, String expected, JsonNode value) {
            return new InvalidBaselineException(prefix + field + ": must be " + expected + ", was " + value);
        }
    }
}
