package io.fathom.schemas.yaml;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each node of a YAML file starts, so that problems found while walking the tree can be
 * listed in file order. Built by one streaming pass, which also notices what a tree silently
 * drops: a key given twice in one mapping, and documents after the first.
 */
final class SourceMap {
    /** A key repeated in a mapping, at the position of the repetition. */
    record Duplicate(YamlPath path, Position position) {}

    /** A YAML alias ({@code *name}): the tree holds its name as a string, not the anchored value. */
    record Alias(YamlPath path, Position position, String name) {}

    /** A line and column, 1-based, ordered as in the file. */
    record Position(int line, int column) implements Comparable<Position> {
        static final Position START = new Position(1, 1);

        static Position of(JsonLocation location) {
            return new Position(Math.max(location.getLineNr(), 1), Math.max(location.getColumnNr(), 1));
        }

        @Override
        public int compareTo(Position other) {
            return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
        }
    }

    /** The map of a text that could not be scanned: every path is at the start. */
    static final SourceMap EMPTY = new SourceMap(Map.of(), List.of(), List.of(), Optional.empty());

    private final Map<YamlPath, Position> positions;
    private final List<Duplicate> duplicates;
    private final List<Alias> aliases;
    private final Optional<Position> secondDocument;

    private SourceMap(
            Map<YamlPath, Position> positions,
            List<Duplicate> duplicates,
            List<Alias> aliases,
            Optional<Position> secondDocument) {
        this.positions = positions;
        this.duplicates = duplicates;
        this.aliases = aliases;
        this.secondDocument = secondDocument;
    }

    /** @throws IOException if the content is not well-formed YAML (a {@code JsonProcessingException} with a location) */
    static SourceMap scan(JsonFactory yaml, byte[] content) throws IOException {
        Map<YamlPath, Position> positions = new HashMap<>();
        List<Duplicate> duplicates = new ArrayList<>();
        List<Alias> aliases = new ArrayList<>();
        Position secondDocument = null;
        Deque<Frame> open = new ArrayDeque<>();
        boolean rootSeen = false;
        try (JsonParser parser = yaml.createParser(content)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                Position position = Position.of(parser.currentTokenLocation());
                if (token == JsonToken.FIELD_NAME) {
                    Frame mapping = open.peek();
                    mapping.key = mapping.path.key(parser.currentName());
                    if (positions.putIfAbsent(mapping.key, position) != null) {
                        duplicates.add(new Duplicate(mapping.key, position));
                    }
                    continue;
                }
                if (token.isStructEnd()) {
                    open.pop();
                    continue;
                }
                Frame parent = open.peek();
                YamlPath own;
                if (parent == null) {
                    own = YamlPath.root();
                    if (rootSeen) {
                        secondDocument = position; // a tree holds only the first document: the rest is ignored
                        break;
                    }
                    rootSeen = true;
                    positions.putIfAbsent(own, position);
                } else if (parent.sequence) {
                    own = parent.path.index(parent.nextIndex++);
                    positions.putIfAbsent(own, position);
                } else {
                    own = parent.key;
                }
                if (parser instanceof YAMLParser yamlParser && yamlParser.isCurrentAlias()) {
                    aliases.add(new Alias(own, position, parser.getText()));
                }
                if (token.isStructStart()) {
                    open.push(new Frame(own, token == JsonToken.START_ARRAY));
                }
            }
        }
        return new SourceMap(
                positions, List.copyOf(duplicates), List.copyOf(aliases), Optional.ofNullable(secondDocument));
    }

    /** The position of the path, or of its nearest ancestor that appears in the file. */
    Position positionOf(YamlPath path) {
        for (YamlPath p = path; ; p = p.parent().orElseThrow()) {
            Position position = positions.get(p);
            if (position != null) {
                return position;
            }
            if (p.isRoot()) {
                return Position.START;
            }
        }
    }

    List<Duplicate> duplicates() {
        return duplicates;
    }

    List<Alias> aliases() {
        return aliases;
    }

    Optional<Position> secondDocument() {
        return secondDocument;
    }

    private static final class Frame {
        final YamlPath path;
        final boolean sequence;
        int nextIndex;
        YamlPath key;

        Frame(YamlPath path, boolean sequence) {
            this.path = path;
            this.sequence = sequence;
        }
    }
}
