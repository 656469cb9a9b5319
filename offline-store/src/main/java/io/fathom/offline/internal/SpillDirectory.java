package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A directory of one run's spilled sorts, made inside the configured spill directory and deleted on close. */
final class SpillDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpillDirectory.class);

    private final Path path;

    private SpillDirectory(Path path) {
        this.path = path;
    }

    /** @throws OfflineException if the directory cannot be made */
    static SpillDirectory in(Path parent, String prefix) {
        try {
            Files.createDirectories(parent);
            return new SpillDirectory(Files.createTempDirectory(parent, prefix));
        } catch (IOException e) {
            throw new OfflineException("cannot create a spill directory in " + parent, e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            FileUtils.deleteDirectory(path.toFile());
        } catch (IOException e) {
            LOG.warn("cannot delete spill directory {}", path, e);
        }
    }
}
