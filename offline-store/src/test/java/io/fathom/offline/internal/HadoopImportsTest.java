package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * STYLE.md: "the offline writer writes to parquet's OutputFile, and only one adapter knows Hadoop's
 * Path". The enforcer keeps Hadoop inside this module; this keeps it inside one class of it.
 */
class HadoopImportsTest {
    @Test
    void onlyHadoopFileStoreImportsHadoop() throws IOException {
        Path sources = Path.of("src/main/java");
        List<String> importers;
        try (Stream<Path> files = Files.walk(sources)) {
            importers = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(HadoopImportsTest::importsHadoop)
                    .map(p -> p.getFileName().toString())
                    .toList();
        }
        assertThat(importers).containsExactly("HadoopFileStore.java");
    }

    private static boolean importsHadoop(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .anyMatch(line ->
                            line.startsWith("import org.apache.hadoop.") || line.contains("org.apache.hadoop.fs."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
