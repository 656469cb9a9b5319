package io.fathom.app;

import io.fathom.app.report.DriftComparison;
import io.fathom.app.report.DriftReportHtml;
import io.fathom.app.report.DriftReportJson;
import io.fathom.offline.OfflineException;
import io.fathom.offline.TrainingSetFile;
import io.fathom.schemas.MonitorDefinition.DriftRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fathom drift report}: one file's feature distributions judged against another's. */
@Command(
        name = "drift",
        description = "Drift between data sets.",
        subcommands = {DriftCommand.Report.class})
public final class DriftCommand {
    private DriftCommand() {}

    @Command(
            name = "report",
            description = {
                "Judges each feature of --current against --reference with the monitor's statistics",
                "(PSI, KL, JS, Wasserstein/σ, KS, chi-square) and writes an HTML page or a JSON report.",
                "Features: --features, else every column of both files except event_timestamp and *_id columns.",
                "A feature is numeric when every value in both files is a number, else categorical."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:no feature drifted", "1:some feature drifted", "2:bad input or usage"})
    static final class Report implements Callable<Integer> {
        static final int NO_DRIFT = 0;
        static final int DRIFT = 1;
        static final int BAD_INPUT = 2;

        /** Columns never judged unless named in --features: the event time and keys. */
        static boolean isKeyOrTimestamp(String column) {
            return column.equals("event_timestamp") || column.endsWith("_id");
        }

        @Mixin
        Console console;

        @Option(names = "--reference", required = true, description = "The reference data (.csv or .parquet).")
        Path reference;

        @Option(names = "--current", required = true, description = "The data to judge (.csv or .parquet).")
        Path current;

        @Option(
                names = "--features",
                split = ",",
                paramLabel = "NAME",
                description = "Columns to judge (default: all common columns but event_timestamp and *_id).")
        List<String> features;

        @Option(
                names = "--method",
                defaultValue = "psi",
                description = "psi, kl, js, wasserstein, ks (score D) or chi2 (score p-value; drift below it)."
                        + " Default: ${DEFAULT-VALUE}.")
        String method;

        @Option(names = "--threshold", defaultValue = "0.2", description = "Default: ${DEFAULT-VALUE}.")
        double threshold;

        @Option(names = "--out", required = true, description = "report.html (a self-contained page) or report.json.")
        Path out;

        @Override
        public Integer call() {
            try {
                return run();
            } catch (BadInput e) {
                return console.fail(BAD_INPUT, "fathom drift report: " + e.getMessage());
            }
        }

        private int run() {
            String format = out.getFileName().toString().toLowerCase(Locale.ROOT);
            boolean html = format.endsWith(".html") || format.endsWith(".htm");
            if (!html && !format.endsWith(".json")) {
                throw new BadInput("--out " + out + ": expected a .html or .json file");
            }
            DriftRule rule;
            try {
                rule = new DriftRule(method, threshold);
            } catch (IllegalArgumentException e) {
                throw new BadInput(
                        e.getMessage().replace("drift method", "--method").replace("drift threshold", "--threshold"));
            }
            Map<String, List<Object>> referenceColumns = read("--reference", reference);
            Map<String, List<Object>> currentColumns = read("--current", current);
            List<String> names = features == null
                    ? commonFeatures(referenceColumns, currentColumns)
                    : requested(referenceColumns, currentColumns);
            DriftComparison comparison;
            try {
                comparison = DriftComparison.of(
                        reference.toString(), referenceColumns, current.toString(), currentColumns, names, rule);
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage());
            }
            String text = html ? DriftReportHtml.render(comparison) : DriftReportJson.write(comparison);
            try {
                Files.writeString(out, text);
            } catch (IOException e) {
                throw new BadInput("cannot write --out " + out + ": " + e);
            }
            List<String> drifted = comparison.drifted();
            console.out()
                    .printf(
                            "wrote %s: %d features by %s (threshold %s), %s%n",
                            out,
                            names.size(),
                            rule.method(),
                            threshold,
                            drifted.isEmpty()
                                    ? "no drift"
                                    : drifted.size() + " drifted: " + String.join(", ", drifted));
            return drifted.isEmpty() ? NO_DRIFT : DRIFT;
        }

        private static Map<String, List<Object>> read(String option, Path file) {
            if (!Files.isRegularFile(file)) {
                throw new BadInput(
                        option + " " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
            }
            try {
                return TrainingSetFile.readColumns(file);
            } catch (OfflineException e) {
                throw new BadInput(option + " " + file + ": " + e.getMessage());
            }
        }

        private List<String> commonFeatures(
                Map<String, List<Object>> referenceColumns, Map<String, List<Object>> currentColumns) {
            List<String> common = referenceColumns.keySet().stream()
                    .filter(currentColumns::containsKey)
                    .filter(c -> !isKeyOrTimestamp(c))
                    .toList();
            if (common.isEmpty()) {
                throw new BadInput("no feature columns common to " + reference + " " + referenceColumns.keySet()
                        + " and " + current + " " + currentColumns.keySet()
                        + " (event_timestamp and *_id columns are not features)");
            }
            return common;
        }

        private List<String> requested(
                Map<String, List<Object>> referenceColumns, Map<String, List<Object>> currentColumns) {
            List<String> names = features.stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .distinct()
                    .toList();
            if (names.isEmpty()) {
                throw new BadInput("--features names no feature");
            }
            List<String> problems = new ArrayList<>();
            for (String name : names) {
                List<String> missing = new ArrayList<>();
                if (!referenceColumns.containsKey(name)) {
                    missing.add(reference.toString());
                }
                if (!currentColumns.containsKey(name)) {
                    missing.add(current.toString());
                }
                if (!missing.isEmpty()) {
                    problems.add(name + " (not a column of " + String.join(" nor ", missing) + ")");
                }
            }
            if (!problems.isEmpty()) {
                throw new BadInput("unknown --features " + String.join(", ", problems));
            }
            return names;
        }
    }

    /** Input the command cannot judge; its message says what and which value. */
    private static final class BadInput extends RuntimeException {
        BadInput(String message) {
            super(message);
        }
    }
}
