package io.fathom.schemas.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One YAML file read for validation: its tree, and the {@link Problems} list that readers of the tree
 * add to, already holding what the tree cannot show (a key given twice, an alias, a second document).
 * A file that is not well-formed YAML has no tree: its one problem names the line and column.
 *
 * @param root the tree; a missing node for an empty file or one that is not well-formed
 * @param wellFormed whether the text is YAML at all; if not, {@link #problems()} says where it stops being
 *     YAML
 */
public record YamlDocument(JsonNode root, Problems problems, boolean wellFormed) {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    /** @throws UncheckedIOException if the file cannot be read */
    public static YamlDocument read(Path file) {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static YamlDocument parse(byte[] content) throws IOException {
        SourceMap sourceMap;
        JsonNode root;
        try {
            sourceMap = SourceMap.scan(YAML, content);
            root = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            Problems problems = new Problems(SourceMap.EMPTY);
            problems.add(YamlPath.root(), syntaxProblem(e));
            return new YamlDocument(MissingNode.getInstance(), problems, false);
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
        return new YamlDocument(root == null ? MissingNode.getInstance() : root, problems, true);
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
}
