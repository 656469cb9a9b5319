package io.fathom.schemas.yaml;

import io.fathom.schemas.yaml.SourceMap.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The problems found in a definitions file, each as {@code path: message}, listed in file order
 * (a node's own problems before those of its keys) whatever order the checks ran in.
 */
public final class Problems {
    private record Problem(YamlPath path, Position position, int sequence, String text, boolean unreadable) {}

    private static final Comparator<Problem> FILE_ORDER = Comparator.comparing(Problem::position)
            .thenComparingInt(p -> p.path().depth())
            .thenComparingInt(Problem::sequence);

    private final SourceMap sourceMap;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<YamlPath> unreadable = new HashSet<>();
    private final Map<YamlPath, String> origins = new HashMap<>();

    Problems(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    public void add(YamlPath path, String message) {
        addAt(sourceMap.positionOf(path), path, message);
    }

    void addAt(Position position, YamlPath path, String message) {
        record(position, path, message, false);
    }

    /**
     * Reports a node that could not be read as written (a YAML alias) and hides the other problems
     * found at or below it: they would describe what the parser saw, not what the author wrote.
     */
    void addUnreadable(Position position, YamlPath path, String message) {
        record(position, path, message, true);
        unreadable.add(path);
    }

    /**
     * Says where the value at {@code path} came from when not from the file (e.g. "from FATHOM_HTTP_PORT"):
     * problems reported at that path name it.
     */
    public void origin(YamlPath path, String origin) {
        origins.put(path, origin);
    }

    private void record(Position position, YamlPath path, String message, boolean unreadableNode) {
        String origin = origins.containsKey(path) ? " (" + origins.get(path) + ")" : "";
        String text = path.isRoot() ? message : path + origin + ": " + message;
        problems.add(new Problem(path, position, problems.size(), text, unreadableNode));
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Marks where reading a node starts: its value is built only if reading it added no problem. */
    public Mark mark() {
        return new Mark(problems.size());
    }

    /** A point in the list of problems, hidden ones included. */
    public final class Mark {
        private final int count;

        private Mark(int count) {
            this.count = count;
        }

        /** Whether no problem was added since the mark. */
        public boolean clean() {
            return problems.size() == count;
        }

        /** The value, if no problem was added since the mark. */
        public <T> Optional<T> build(Supplier<T> value) {
            return clean() ? Optional.of(value.get()) : Optional.empty();
        }
    }

    public List<String> inFileOrder() {
        return problems.stream()
                .filter(p -> p.unreadable() || !isInUnreadable(p.path()))
                .sorted(FILE_ORDER)
                .map(Problem::text)
                .toList();
    }

    private boolean isInUnreadable(YamlPath path) {
        for (YamlPath p = path; ; p = p.parent().orElseThrow()) {
            if (unreadable.contains(p)) {
                return true;
            }
            if (p.isRoot()) {
                return false;
            }
        }
    }
}
