package io.fathom.schemas.yaml;

import java.util.List;

/**
 * A YAML file read by {@link Mapping}s has problems: every one is listed (as {@link Problems#inFileOrder()}
 * gives them), each naming its path, e.g. {@code views[2].features[0].window: "1hr" is not a duration}.
 * The message names the file and lists them all.
 */
public class InvalidYamlException extends RuntimeException {
    private final List<String> problems;

    public InvalidYamlException(String file, List<String> problems) {
        super(file + " has " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
