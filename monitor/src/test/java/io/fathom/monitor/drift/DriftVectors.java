package io.fathom.monitor.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The independently computed reference vectors in the test resource {@code testdata/drift-vectors.json}
 * (a verbatim copy of the project's shared reference data; see {@code testdata/README.md} beside it). A
 * missing file fails the tests: it is never skipped.
 */
final class DriftVectors {
    static final String RESOURCE = "/testdata/drift-vectors.json";

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

    static List<Case> cases() {
        JsonNode root;
        try {
            InputStream resource = DriftVectors.class.getResourceAsStream(RESOURCE);
            if (resource == null) {
                throw new AssertionError("test resource " + RESOURCE + " not found");
            }
            try (resource) {
                root = new ObjectMapper().readTree(resource);
            }
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
            throw new AssertionError(RESOURCE + " has no cases");
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
