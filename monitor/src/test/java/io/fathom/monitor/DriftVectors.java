package io.fathom.monitor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The independently computed reference vectors in {@code shared/testdata/drift-vectors.json}, which
 * lives beside the repository's root ({@code /work/shared} beside {@code /work/main}; CI lays
 * {@code shared/} beside its clone the same way). Found by walking up from the working directory, or
 * at {@code -Dfathom.testdata=DIR}. A missing file fails the tests: it is never skipped.
 */
final class DriftVectors {
    static final String FILE = "drift-vectors.json";

    /** One case: samples (absent for the count-only cases), edges, counts and expected values. */
    record Case(
            String name,
            Optional<double[]> reference,
            Optional<double[]> current,
            Optional<double[]> innerEdges,
            long[] referenceCounts,
            long[] currentCounts,
            JsonNode expected) {
        double expect(String field) {
            JsonNode value = expected.get(field);
            if (value == null || !value.isNumber()) {
                throw new AssertionError("case " + name + " has no number " + field);
            }
            return value.doubleValue();
        }

        boolean hasSamples() {
            return reference.isPresent();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private DriftVectors() {}

    static Path file() {
        String override = System.getProperty("fathom.testdata");
        if (override != null) {
            return requireFile(Path.of(override).resolve(FILE));
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("testdata").resolve(FILE);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("shared/testdata/" + FILE + " not found in " + start
                + " or any parent directory (it lies beside the repository root: ../shared/testdata)");
    }

    private static Path requireFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new AssertionError(path + " does not exist");
        }
        return path;
    }

    static List<Case> cases() {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file().toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Case> cases = new ArrayList<>();
        for (JsonNode node : root.path("cases")) {
            cases.add(new Case(
                    node.path("name").asText(),
                    doubles(node.get("reference")),
                    doubles(node.get("current")),
                    doubles(node.get("inner_edges")),
                    longs(node.get("reference_counts")),
                    longs(node.get("current_counts")),
                    node.get("expected")));
        }
        if (cases.isEmpty()) {
            throw new AssertionError(file() + " has no cases");
        }
        return cases;
    }

    private static Optional<double[]> doubles(JsonNode array) {
        if (array == null) {
            return Optional.empty();
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).doubleValue();
        }
        return Optional.of(values);
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).longValue();
        }
        return values;
    }
}
