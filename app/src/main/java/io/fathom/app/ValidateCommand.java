package io.fathom.app;

import io.fathom.offline.HistoryCheck;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code fathom validate FILE}: checks a feature-definitions file and lists every problem in it; then, for a
 * valid file, the sources' local {@code history} datasets (see {@link HistoryCheck}).
 */
@Command(
        name = "validate",
        description = {
            "Checks a feature-definitions file: entities, sources, views and monitors; and each source's history"
                    + " dataset when it is local: that it exists and its Parquet files have the columns the views need.",
            "Prints a summary if it is valid; otherwise every problem, one per line on stderr, each with its path."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file is valid", "1:the file has problems", "2:the file cannot be read, or bad usage"})
public final class ValidateCommand implements Callable<Integer> {
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int UNREADABLE = 2;

    @Parameters(paramLabel = "FILE", description = "the definitions file (YAML)")
    Path file;

    @Mixin
    Console console;

    @Override
    public Integer call() {
        if (!Files.exists(file)) {
            return console.fail(UNREADABLE, "fathom validate: " + file + ": no such file");
        }
        if (!Files.isRegularFile(file)) {
            return console.fail(UNREADABLE, "fathom validate: " + file + ": not a regular file");
        }
        try {
            FeatureDefinitions definitions = DefinitionsParser.parse(file);
            List<String> histories = HistoryCheck.problems(definitions);
            if (!histories.isEmpty()) {
                return invalid(histories);
            }
            console.out()
                    .printf(
                            "OK: %d entities, %d sources, %d views, %d monitors%n",
                            definitions.entities().size(),
                            definitions.sources().size(),
                            definitions.views().size(),
                            definitions.monitors().size());
            return VALID;
        } catch (InvalidDefinitionsException e) {
            return invalid(e.problems());
        } catch (UncheckedIOException e) {
            return console.fail(UNREADABLE, "fathom validate: cannot read " + file + ": " + e.getCause());
        }
    }

    /** The problems, then how many there are. */
    private int invalid(List<String> problems) {
        List<String> lines = new ArrayList<>(problems);
        lines.add(String.format("%s: %d problem%s", file, problems.size(), problems.size() == 1 ? "" : "s"));
        return console.fail(INVALID, lines);
    }
}
