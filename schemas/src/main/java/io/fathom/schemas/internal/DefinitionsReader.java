package io.fathom.schemas.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.YamlDocument;
import io.fathom.schemas.yaml.YamlPath;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a feature-definitions file: parses the YAML into a tree, walks all of it reporting every
 * problem with its path, and builds the records only if there was none.
 *
 * <pre>
 * DefinitionsReader ── the file (a YamlDocument) and its top-level mapping
 *   ├─ EntityReader, SourceReader, ViewReader, MonitorReader ── one per section
 *   ├─ Symbols ── what each section declared, for the references of the next (the symbol table)
 *   ├─ Checks  ── the shared checks: names, references, enumerations, topics
 *   └─ yaml.Mapping ── typed reads of one YAML mapping;  yaml.Problems ── every problem, in file order
 * </pre>
 *
 * <p>Each reader reports the problems of one node and returns its record only if reading the node
 * added no problem ({@link Problems#mark()}), so a record constructor never sees an invalid value. A
 * value that is wrong is reported once: what depends on it (a reference to a misspelt entity, a field
 * check against a schema that did not load) is skipped rather than reported again.
 */
public final class DefinitionsReader {
    private final Problems problems;
    private final EntityReader entityReader;
    private final SourceReader sourceReader;
    private final ViewReader viewReader;
    private final MonitorReader monitorReader;

    private DefinitionsReader(Path baseDirectory, Problems problems) {
        this.problems = problems;
        Checks checks = new Checks(problems);
        Symbols symbols = new Symbols();
        this.entityReader = new EntityReader(checks, symbols);
        this.sourceReader = new SourceReader(checks, symbols, baseDirectory);
        this.viewReader = new ViewReader(checks, symbols);
        this.monitorReader = new MonitorReader(checks, symbols);
    }

    /**
     * Reads and validates the file; relative schema paths resolve against its directory.
     *
     * @throws InvalidDefinitionsException listing every problem in file order
     * @throws UncheckedIOException if the file cannot be read
     */
    public static FeatureDefinitions read(Path file) {
        YamlDocument document = YamlDocument.read(file);
        Problems problems = document.problems();
        if (document.wellFormed()) {
            Path directory = file.toAbsolutePath().getParent();
            Optional<FeatureDefinitions> definitions =
                    new DefinitionsReader(directory, problems).readRoot(document.root());
            if (problems.isEmpty()) {
                return definitions.orElseThrow();
            }
        }
        throw new InvalidDefinitionsException(file.toString(), problems.inFileOrder());
    }

    private Optional<FeatureDefinitions> readRoot(JsonNode root) {
        YamlPath top = YamlPath.root();
        if (root.isMissingNode() || root.isNull()) {
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
        Problems.Mark mark = problems.mark();
        Mapping file = Mapping.open(root, top, problems, List.of("entities", "sources", "views"), List.of("monitors"))
                .orElseThrow();
        // In file order of dependence: each section looks up what the ones before it declared.
        List<EntityDefinition> entities = readAll(file, "entities", true, entityReader::read);
        List<SourceDefinition> sources = readAll(file, "sources", true, sourceReader::read);
        List<ViewDefinition> views = readAll(file, "views", true, viewReader::read);
        List<MonitorDefinition> monitors = readAll(file, "monitors", false, monitorReader::read);
        return mark.build(() -> new FeatureDefinitions(entities, sources, views, monitors));
    }

    private static <T> List<T> readAll(Mapping file, String key, boolean nonEmpty, Function<Item, Optional<T>> reader) {
        return file.sequence(key, nonEmpty)
                .map(items ->
                        items.stream().map(reader).flatMap(Optional::stream).toList())
                .orElse(List.of());
    }
}
