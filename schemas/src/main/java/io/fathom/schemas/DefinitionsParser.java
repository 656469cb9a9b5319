package io.fathom.schemas;

import io.fathom.schemas.internal.DefinitionsReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reads and validates a feature-definitions YAML file (the format is described in the module's
 * README). Every problem in the file is found in one pass and reported together, each with its
 * path, in file order; records are built only from a file without problems.
 */
public final class DefinitionsParser {
    private DefinitionsParser() {}

    /**
     * Parses and validates the file; relative schema paths resolve against the file's directory.
     *
     * @throws InvalidDefinitionsException listing every problem found, each with its path
     * @throws UncheckedIOException if the file cannot be read (missing, unreadable)
     */
    public static FeatureDefinitions parse(Path file) {
        return DefinitionsReader.read(file);
    }
}
