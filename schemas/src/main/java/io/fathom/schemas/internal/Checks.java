package io.fathom.schemas.internal;

import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.Suggestions;
import io.fathom.schemas.yaml.YamlPath;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/** The checks the section readers share, each reporting its problem with a suggestion where one helps. */
final class Checks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String NAME_RULE = "use letters, digits and _, starting with a letter or _";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final String TOPIC_RULE = "use letters, digits, '.', '_' and '-', at most 249 characters";

    private final Problems problems;

    Checks(Problems problems) {
        this.problems = problems;
    }

    Problems problems() {
        return problems;
    }

    /** Opens an item of a section as a mapping with the given keys ({@link Mapping#open}). */
    Optional<Mapping> open(Mapping.Item item, List<String> required, List<String> optional) {
        return Mapping.open(item.node(), item.path(), problems, required, optional);
    }

    /** Registers a declared name; reports it if it repeats an earlier one or is not a valid name. */
    void declare(Mapping m, String kind, String name, Map<String, YamlPath> declared) {
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
    boolean reference(YamlPath path, String name, String kind, String plural, Collection<String> declared) {
        if (declared.contains(name)) {
            return true;
        }
        problems.add(path, "no " + kind + " named " + Quoting.quote(name) + hint(name, declared, plural));
        return false;
    }

    /** Whether {@code key} is seen for the first time; reports a repetition with where it was first. */
    boolean once(YamlPath path, String key, Map<String, YamlPath> seen, String message) {
        YamlPath first = seen.putIfAbsent(key, path.parent().orElseThrow());
        if (first == null) {
            return true;
        }
        problems.add(path, message + " (at " + first + ")");
        return false;
    }

    /** A Kafka topic name. */
    Optional<String> topic(Mapping m, String key) {
        return m.string(key)
                .filter(t -> m.check(
                        TOPIC.matcher(t).matches() && !t.equals(".") && !t.equals(".."),
                        key,
                        Quoting.quote(t) + " is not a valid Kafka topic name (" + TOPIC_RULE + ")"));
    }

    /** " (did you mean ...?)" with the closest of {@code declared}, else the list of them. */
    static String hint(String name, Collection<String> declared, String plural) {
        if (declared.isEmpty()) {
            return " (there are no " + plural + ")";
        }
        return Suggestions.closest(name, declared)
                .map(c -> " (did you mean " + Quoting.quote(c) + "?)")
                .orElse(" (" + plural + ": " + String.join(", ", declared) + ")");
    }

    static String notAField(String name, Schema schema) {
        List<String> fields =
                schema.getFields().stream().map(Schema.Field::name).toList();
        return Quoting.quote(name) + " is not a field of schema " + schema.getFullName() + hint(name, fields, "fields");
    }
}
