package io.fathom.schemas.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A YAML mapping being read. Opening one reports unknown and missing keys; each typed read reports
 * its own problem and returns empty, so a caller gets either a good value or nothing, and one bad
 * value never causes a second report.
 */
public final class Mapping {
    /** A node of a sequence, with its path. */
    public record Item(JsonNode node, YamlPath path) {}

    /** A key of a mapping whose keys are names (not a fixed set), with its value and path. */
    public record Entry(String key, JsonNode node, YamlPath path) {}

    private final JsonNode node;
    private final YamlPath path;
    private final Problems problems;

    private Mapping(JsonNode node, YamlPath path, Problems problems) {
        this.node = node;
        this.path = path;
        this.problems = problems;
    }

    /** Opens a mapping with the given keys; a required key that is absent or empty is reported. */
    public static Optional<Mapping> open(
            JsonNode node, YamlPath path, Problems problems, List<String> required, List<String> optional) {
        if (node == null || !node.isObject()) {
            problems.add(path, "expected a mapping, got " + Quoting.value(node));
            return Optional.empty();
        }
        List<String> allowed =
                Stream.concat(required.stream(), optional.stream()).toList();
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String name = property.getKey();
            if (!allowed.contains(name)) {
                String hint = Suggestions.closest(name, allowed)
                        .map(c -> "did you mean " + Quoting.quote(c) + "?")
                        .orElse("expected one of " + String.join(", ", allowed));
                problems.add(path.key(name), "unknown key (" + hint + ")");
            }
        }
        for (String name : required) {
            if (!node.has(name)) {
                problems.add(path, "missing required key " + Quoting.quote(name));
            } else if (node.get(name).isNull()) {
                problems.add(path.key(name), "missing value");
            }
        }
        return Optional.of(new Mapping(node, path, problems));
    }

    public YamlPath path() {
        return path;
    }

    public YamlPath at(String key) {
        return path.key(key);
    }

    /** Whether the key is given with a value (an empty value counts as absent). */
    public boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    public Optional<Mapping> mapping(String key, List<String> required, List<String> optional) {
        return has(key) ? open(node.get(key), at(key), problems, required, optional) : Optional.empty();
    }

    public Optional<String> string(String key) {
        return has(key) ? string(node.get(key), at(key), problems) : Optional.empty();
    }

    public Optional<Duration> duration(String key) {
        return has(key) ? duration(node.get(key), at(key), problems) : Optional.empty();
    }

    public Optional<Duration> positiveDuration(String key) {
        return duration(key)
                .filter(d ->
                        check(!d.isNegative() && !d.isZero(), key, "must be positive, was " + Durations.format(d)));
    }

    public Optional<Duration> nonNegativeDuration(String key) {
        return duration(key)
                .filter(d -> check(!d.isNegative(), key, "must not be negative, was " + Durations.format(d)));
    }

    /** A whole number of at least {@code min}. */
    public Optional<Long> wholeNumber(String key, long min) {
        return value(key, JsonNode::isIntegralNumber, "a whole number")
                .filter(value -> check(
                        value.canConvertToLong(), key, "must be at most " + Long.MAX_VALUE + ", was " + value.asText()))
                .map(JsonNode::longValue)
                .filter(number -> check(number >= min, key, "must be at least " + min + ", was " + number));
    }

    /** A whole number of at least {@code min} that fits an int. */
    public Optional<Integer> smallWholeNumber(String key, int min) {
        return wholeNumber(key, min)
                .filter(n -> check(n <= Integer.MAX_VALUE, key, "must be at most " + Integer.MAX_VALUE + ", was " + n))
                .map(Long::intValue);
    }

    /** A finite number. */
    public Optional<Double> number(String key) {
        return value(key, JsonNode::isNumber, "a number")
                .filter(value -> check(
                        Double.isFinite(value.doubleValue()), key, "must be a finite number, was " + value.asText()))
                .map(JsonNode::doubleValue);
    }

    /** A list, reported if empty and {@code nonEmpty}. */
    public Optional<List<Item>> sequence(String key, boolean nonEmpty) {
        return value(key, JsonNode::isArray, "a list")
                .filter(value -> check(!nonEmpty || !value.isEmpty(), key, "must not be empty"))
                .map(value -> {
                    List<Item> items = new ArrayList<>();
                    for (int i = 0; i < value.size(); i++) {
                        items.add(new Item(value.get(i), at(key).index(i)));
                    }
                    return items;
                });
    }

    /** A mapping whose keys are names chosen by the author, such as per-feature overrides. */
    public Optional<List<Entry>> entries(String key) {
        return value(key, JsonNode::isObject, "a mapping").map(value -> {
            List<Entry> entries = new ArrayList<>();
            value.properties().forEach(e -> entries.add(new Entry(e.getKey(), e.getValue(), at(key).key(e.getKey()))));
            return entries;
        });
    }

    /**
     * A non-empty list of distinct non-empty strings, {@code what} naming one element in messages
     * (e.g. "key column"); each bad element is reported, and any makes the whole list empty.
     */
    public Optional<List<String>> distinctStrings(String key, String what) {
        return sequence(key, true).flatMap(items -> {
            List<String> strings = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            boolean ok = true;
            for (Item item : items) {
                Optional<String> text = string(item.node(), item.path(), problems);
                if (text.isPresent() && !seen.add(text.get())) {
                    problems.add(item.path(), "duplicate " + what + " " + Quoting.quote(text.get()));
                    ok = false;
                }
                text.ifPresentOrElse(strings::add, () -> {});
                ok &= text.isPresent();
            }
            return ok ? Optional.of(List.copyOf(strings)) : Optional.empty();
        });
    }

    /**
     * A string that is one of {@code allowed}; anything else is reported with the closest allowed value
     * (or the one {@code aliases} maps a familiar name to, compared case-blind) and the whole list.
     */
    public Optional<String> oneOf(String key, String what, List<String> allowed, Map<String, String> aliases) {
        return string(key).filter(value -> {
            if (allowed.contains(value)) {
                return true;
            }
            String suggestion = Optional.ofNullable(aliases.get(value.toLowerCase(Locale.ROOT)))
                    .or(() -> Suggestions.closest(value, allowed))
                    .map(c -> ", did you mean " + Quoting.quote(c) + "?")
                    .orElse("");
            problems.add(
                    at(key),
                    Quoting.quote(value) + " is not " + what + suggestion + " (allowed: " + String.join(", ", allowed)
                            + ")");
            return false;
        });
    }

    /** {@code true} or {@code false}. */
    public Optional<Boolean> bool(String key) {
        return value(key, JsonNode::isBoolean, "true or false").map(JsonNode::booleanValue);
    }

    /** The key's value when given and {@code is} accepts its type; else empty, with a wrong type reported. */
    private Optional<JsonNode> value(String key, Predicate<JsonNode> is, String expected) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode value = node.get(key);
        if (!is.test(value)) {
            problems.add(at(key), "expected " + expected + ", got " + Quoting.value(value));
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** Reports {@code message} at the key unless {@code condition} holds; returns the condition. */
    public boolean check(boolean condition, String key, String message) {
        if (!condition) {
            problems.add(at(key), message);
        }
        return condition;
    }

    public static Optional<String> string(JsonNode value, YamlPath path, Problems problems) {
        if (value == null || !value.isTextual()) {
            problems.add(path, "expected a string, got " + Quoting.value(value));
            return Optional.empty();
        }
        if (value.textValue().isBlank()) {
            problems.add(path, "must not be empty");
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    public static Optional<Duration> duration(JsonNode value, YamlPath path, Problems problems) {
        if (value.isIntegralNumber() && value.asLong() == 0) {
            return Optional.of(Duration.ZERO);
        }
        if (!value.isTextual() && !value.isNumber()) {
            problems.add(path, "expected a duration, got " + Quoting.value(value) + " (" + Durations.EXPECTED + ")");
            return Optional.empty();
        }
        Optional<Duration> duration =
                value.isTextual() ? Durations.parse(value.textValue().strip()) : Optional.empty();
        if (duration.isEmpty()) {
            problems.add(path, Quoting.value(value) + " is not a duration (" + Durations.EXPECTED + ")");
        }
        return duration;
    }
}
