package io.fathom.schemas.internal;

import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.yaml.Mapping;
import io.fathom.schemas.yaml.Mapping.Item;
import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.YamlPath;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;

/** Reads one item of {@code sources}, loading its Avro schema relative to the definitions file. */
final class SourceReader {
    private static final List<String> FORMATS =
            Arrays.stream(EventFormat.values()).map(EventFormat::yamlName).toList();

    private final Checks checks;
    private final Symbols symbols;
    private final Path baseDirectory;
    private final HistoryLocations histories;

    SourceReader(Checks checks, Symbols symbols, Path baseDirectory) {
        this.checks = checks;
        this.symbols = symbols;
        this.baseDirectory = baseDirectory;
        this.histories = new HistoryLocations(checks.problems(), baseDirectory);
    }

    Optional<SourceDefinition> read(Item item) {
        Problems problems = checks.problems();
        Problems.Mark mark = problems.mark();
        Optional<Mapping> opened =
                checks.open(item, List.of("name", "topic", "format", "timestamp"), List.of("schema", "history"));
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = opened.get();
        Optional<String> name = m.string("name");
        name.ifPresent(n -> checks.declare(m, "source", n, symbols.sources));
        Optional<String> topic = checks.topic(m, "topic");
        Optional<EventFormat> format =
                m.oneOf("format", "a format", FORMATS, Map.of()).flatMap(EventFormat::fromYamlName);
        Optional<Schema> schema = m.string("schema").flatMap(s -> loadSchema(s, m.at("schema")));
        format.filter(f -> f != EventFormat.JSON && !m.has("schema"))
                .ifPresent(f -> problems.add(
                        m.path(), "format " + f.yamlName() + " needs a schema (the path of an Avro record schema)"));
        Optional<String> timestamp = m.string("timestamp");
        if (schema.isPresent() && timestamp.isPresent()) {
            checkTimestamp(m.at("timestamp"), timestamp.get(), schema.get());
        }
        Optional<URI> history = m.string("history").flatMap(h -> histories.read(h, m.at("history")));
        name.ifPresent(n -> symbols.sourceSchema(n, schema));
        return mark.build(() -> new SourceDefinition(
                name.orElseThrow(),
                topic.orElseThrow(),
                format.orElseThrow(),
                schema,
                timestamp.orElseThrow(),
                history));
    }

    private void checkTimestamp(YamlPath path, String timestamp, Schema schema) {
        Schema.Field field = schema.getField(timestamp);
        if (field == null) {
            checks.problems().add(path, Checks.notAField(timestamp, schema));
        } else if (!AvroTypes.isTimestamp(field.schema())) {
            checks.problems()
                    .add(
                            path,
                            "field " + field.name() + " is " + AvroTypes.describe(field.schema())
                                    + "; an event time must be a " + AvroTypes.TIMESTAMP_TYPES);
        }
    }

    private Optional<Schema> loadSchema(String written, YamlPath path) {
        Problems problems = checks.problems();
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
}
