package io.fathom.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code examples/definitions} of the repository, whichever module directory a test runs in. */
final class Examples {
    private Examples() {}

    static Path directory() {
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
