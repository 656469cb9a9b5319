package io.fathom.app.config;

import java.util.List;

/** A run configuration has problems: every one is listed, each naming the key and the value. */
public final class InvalidConfigException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigException(String source, List<String> problems) {
        super(source + " has " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
