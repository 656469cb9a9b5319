package io.fathom.schemas;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds {@code examples/definitions} of the repository, whichever module directory a test runs in. Shared
 * with other modules' tests through schemas' test-jar.
 */
public final class Examples {
    private Examples() {}

    public static Path directory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path examples = dir.resolve("examples/definitions");
            if (Files.isDirectory(examples)) {
                return examples;
            }
        }
        throw new IllegalStateException(
                "no examples/definitions above " + Path.of("").toAbsolutePath());
    }
}
