package io.fathom.app.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** The example definitions shipped in the jar (examples/definitions), extracted for the parser. */
public final class ExampleDefinitions {
    private static final List<String> FILES = List.of("fathom.yaml", "transaction.avsc");

    private ExampleDefinitions() {}

    /** Writes the example files into {@code dir} and returns the path of fathom.yaml. */
    public static Path extractTo(Path dir) {
        try {
            Files.createDirectories(dir);
            for (String name : FILES) {
                try (InputStream in = ExampleDefinitions.class.getResourceAsStream("/io/fathom/app/examples/" + name)) {
                    if (in == null) {
                        throw new IllegalStateException("the app jar lacks the example file " + name);
                    }
                    Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir.resolve("fathom.yaml");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the example definitions to " + dir, e);
        }
    }
}
