package io.fathom.app;

import io.fathom.schemas.Examples;
import java.nio.file.Path;

/** The repository's example definitions, for tests in other packages of this module. */
public final class ExamplesAccess {
    private ExamplesAccess() {}

    public static Path definitionsFile() {
        return Examples.directory().resolve("fathom.yaml");
    }
}
