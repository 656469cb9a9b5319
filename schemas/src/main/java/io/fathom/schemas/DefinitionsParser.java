package io.fathom.schemas;

import java.nio.file.Path;

/** Reads and validates a feature-definitions YAML file. (Implementation pending.) */
public final class DefinitionsParser {
    private DefinitionsParser() {}

    /**
     * Parses and validates the file; relative schema paths resolve against the file's directory.
     *
     * @throws InvalidDefinitionsException listing every problem found, each with its path
     */
    public static FeatureDefinitions parse(Path file) {
        throw new UnsupportedOperationException("not yet");
    }
}
