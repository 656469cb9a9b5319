package io.fathom.app;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --verbose} (a picocli mixin) of the commands that run components ({@code demo}, {@code run}), and where
 * their log lines go ({@link LogRouting}).
 */
final class ComponentLogs {
    @Option(
            names = "--verbose",
            description =
                    "Show every component's log lines on the console (default: they go to fathom.log in the data directory).")
    boolean verbose;

    /**
     * Routes the log lines to {@code <dir>/fathom.log}, and with {@code --verbose} to the console too; returns the
     * file when the console does not show them, for the command to say where they are.
     */
    Optional<Path> route(Path dir) {
        Path file = LogRouting.toFile(dir, verbose);
        return verbose ? Optional.empty() : Optional.of(file);
    }
}
