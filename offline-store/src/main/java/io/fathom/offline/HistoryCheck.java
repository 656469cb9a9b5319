package io.fathom.offline;

import io.fathom.core.ViewPlan;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.Type;

/**
 * What {@code fathom validate} checks of the sources' {@code history} datasets that it can see: those on the
 * local file system (a path, or a {@code file:} URI). Each must exist and hold Parquet files (a file, or a
 * directory searched recursively, skipping names that start with {@code _} or {@code .}, as Hive does), and
 * each file must have the columns the source's views need: the timestamp field, the key columns of each
 * view's entity, the fields each view aggregates. Hive partition directories ({@code date=2026-10-01}) count
 * as columns of the files below them. Other URIs (hdfs, s3a, ...) are checked for syntax only, by the
 * definitions parser.
 */
public final class HistoryCheck {
    private HistoryCheck() {}

    /** The problems found, as {@code sources[i].history: message}; empty when none. */
    public static List<String> problems(FeatureDefinitions definitions) {
        List<String> problems = new ArrayList<>();
        List<SourceDefinition> sources = definitions.sources();
        for (int i = 0; i < sources.size(); i++) {
            SourceDefinition source = sources.get(i);
            String path = "sources[" + i + "].history: ";
            source.history()
                    .filter(uri -> "file".equalsIgnoreCase(uri.getScheme()))
                    .map(uri -> check(uri, neededColumns(definitions, source)))
                    .ifPresent(found -> found.forEach(problem -> problems.add(path + problem)));
        }
        return problems;
    }

    /** Each column the source's views read, with the views that need it, in first-use order. */
    static Map<String, Set<String>> neededColumns(FeatureDefinitions definitions, SourceDefinition source) {
        Map<String, Set<String>> needed = new LinkedHashMap<>();
        for (ViewDefinition view : definitions.viewsOf(source)) {
            List<String> columns = new ArrayList<>();
            columns.add(source.timestampField());
            columns.addAll(definitions.entityOf(view).keys());
            columns.addAll(ViewPlan.of(view).fields());
            columns.forEach(c -> needed.computeIfAbsent(c, k -> new TreeSet<>()).add(view.name()));
        }
        return needed;
    }

    private static List<String> check(URI location, Map<String, Set<String>> needed) {
        Path dataset;
        try {
            dataset = Path.of(location);
        } catch (IllegalArgumentException e) {
            return List.of(location + " is not a local file URI: " + e.getMessage());
        }
        if (!Files.exists(dataset)) {
            return List.of(dataset + " does not exist");
        }
        List<Path> files;
        try {
            files = dataFiles(dataset);
        } catch (IOException e) {
            return List.of("cannot list " + dataset + ": " + e);
        }
        if (files.isEmpty()) {
            return List.of(dataset + " holds no data files (Parquet files, not starting with _ or .)");
        }
        Map<Set<String>, List<Path>> lacking = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            Set<String> columns;
            try {
                columns = columns(dataset, file);
            } catch (IOException | RuntimeException e) {
                problems.add(file + " is not a readable Parquet file: " + e.getMessage());
                continue;
            }
            Set<String> missing = new TreeSet<>(needed.keySet());
            missing.removeAll(columns);
            if (!missing.isEmpty()) {
                lacking.computeIfAbsent(missing, k -> new ArrayList<>()).add(file);
            }
        }
        lacking.forEach((missing, inFiles) -> problems.add(describe(missing, needed, inFiles, files.size())));
        return problems;
    }

    private static String describe(
            Set<String> missing, Map<String, Set<String>> needed, List<Path> inFiles, int fileCount) {
        List<String> columns = new ArrayList<>();
        for (String column : missing) {
            Set<String> views = needed.get(column);
            columns.add(
                    column + " (needed by view" + (views.size() == 1 ? " " : "s ") + String.join(", ", views) + ")");
        }
        String lack = " column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", columns);
        return fileCount == 1
                ? inFiles.get(0) + " lacks" + lack
                : inFiles.size() + " of " + fileCount + " Parquet files lack" + lack + ", e.g. " + inFiles.get(0);
    }

    private static List<Path> dataFiles(Path dataset) throws IOException {
        if (Files.isRegularFile(dataset)) {
            return List.of(dataset);
        }
        try (Stream<Path> paths = Files.walk(dataset)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> !hidden(dataset.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith("_") || name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The file's top-level columns, and the keys of the Hive partition directories between it and the dataset. */
    private static Set<String> columns(Path dataset, Path file) throws IOException {
        Set<String> columns = new HashSet<>();
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            for (Type field : reader.getFooter().getFileMetaData().getSchema().getFields()) {
                columns.add(field.getName());
            }
        }
        Path parent = dataset.relativize(file).getParent();
        if (parent != null) {
            for (Path part : parent) {
                String name = part.toString();
                int equals = name.indexOf('=');
                if (equals > 0) {
                    columns.add(name.substring(0, equals));
                }
            }
        }
        return columns;
    }
}
