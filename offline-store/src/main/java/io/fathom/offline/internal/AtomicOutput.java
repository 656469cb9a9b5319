package io.fathom.offline.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A local output written through a hidden temporary file beside it: {@link #commit} moves the temporary
 * into place (atomically, replacing an older output); {@link #close} deletes it unless committed, so a
 * failed write leaves the output as it was.
 */
final class AtomicOutput implements Closeable {
    private final Path output;
    private final Path temporary;
    private boolean committed;

    AtomicOutput(Path output) throws IOException {
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        this.output = output;
        this.temporary = parent.resolve("." + output.getFileName() + "." + System.nanoTime() + ".tmp");
    }

    /** Where to write until {@link #commit}. */
    Path temporary() {
        return temporary;
    }

    void commit() throws IOException {
        Files.move(temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            Files.deleteIfExists(temporary);
        }
    }
}
