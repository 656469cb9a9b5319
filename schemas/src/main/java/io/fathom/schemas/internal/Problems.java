package io.fathom.schemas.internal;

import io.fathom.schemas.internal.SourceMap.Position;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found in a definitions file, each as {@code path: message}, listed in file order
 * (a node's own problems before those of its keys) whatever order the checks ran in.
 */
final class Problems {
    private record Problem(Position position, int depth, int sequence, String text) {}

    private static final Comparator<Problem> FILE_ORDER = Comparator.comparing(Problem::position)
            .thenComparingInt(Problem::depth)
            .thenComparingInt(Problem::sequence);

    private final SourceMap sourceMap;
    private final List<Problem> problems = new ArrayList<>();

    Problems(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    void add(YamlPath path, String message) {
        addAt(sourceMap.positionOf(path), path, message);
    }

    void addAt(Position position, YamlPath path, String message) {
        String text = path.isRoot() ? message : path + ": " + message;
        problems.add(new Problem(position, path.depth(), problems.size(), text));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** How many problems so far: a reader builds a value only if reading it added none. */
    int count() {
        return problems.size();
    }

    List<String> inFileOrder() {
        return problems.stream().sorted(FILE_ORDER).map(Problem::text).toList();
    }
}
