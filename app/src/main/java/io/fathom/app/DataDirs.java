package io.fathom.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;

/** Local state directories. */
final class DataDirs {
    private DataDirs() {}

    /** Deletes {@code dir} and everything below it, then creates it empty. */
    static void wipe(Path dir) {
        try {
            FileUtils.deleteDirectory(dir.toFile());
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the data directory " + dir, e);
        }
    }

    /** Creates {@code dir} (and its parents) when missing; returns it. */
    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
    }
}
