package io.fathom.app;

import io.fathom.offline.HistoryCheck;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.InvalidDefinitionsException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(file)) {
            err.println("fathom validate: " + file + ": no such file");
            return UNREADABLE;
        }
        if (!Files.isRegularFile(file)) {
            err.println("fathom validate: " + file + ": not a regular file");
            return UNREADABLE;
        }
        try {
            FeatureDefinitions definitions = DefinitionsParser.parse(file);
            List<String> histories = HistoryCheck.problems(definitions);
            if (!histories.isEmpty()) {
                return invalid(histories, err);
            }
            out.printf(
                    "OK: %d entities, %d sources, %d views, %d monitors%n",
                    definitions.entities().size(),
                    definitions.sources().size(),
                    definitions.views().size(),
                    definitions.monitors().size());
            return VALID;
        } catch (InvalidDefinitionsException e) {
            return invalid(e.problems(), err);
        } catch (UncheckedIOException e) {
            err.println("fathom validate: cannot read " + file + ": " + e.getCause());
            return UNREADABLE;
        }
    }

    private int invalid(List<String> problems, PrintWriter err) {
        problems.forEach(err::println);
        err.printf("%s: %d problem%s%n", file, problems.size(), problems.size() == 1 ? "" : "s");
        return INVALID;
    }
}
