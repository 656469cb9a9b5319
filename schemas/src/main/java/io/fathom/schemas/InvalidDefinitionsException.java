package io.fathom.schemas;

import java.util.List;

/** A definitions file has problems; each names its path, e.g. {@code views[2].features[0].window: "1hr" is not a duration}. */
public final class InvalidDefinitionsException extends RuntimeException {
    private final List<String> problems;

    public InvalidDefinitionsException(String file, List<String> problems) {
        super(file + " has " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
