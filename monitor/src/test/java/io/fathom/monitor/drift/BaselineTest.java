package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaselineTest {
    static final Instant CREATED = Instant.parse("2026-11-27T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(CREATED, ZoneOffset.UTC);

    static Baseline sample() {
        double[] amounts = IntStream.rangeClosed(1, 100).asDoubleStream().toArray();
        List<Double> withNulls = new ArrayList<>();
        for (double a : amounts) {
            withNulls.add(a);
        }
        withNulls.add(null);
        withNulls.add(Double.NaN);
        List<String> countries = new ArrayList<>();
        countries.addAll(java.util.Collections.nCopies(50, "US"));
        countries.addAll(java.util.Collections.nCopies(30, "DE"));
        countries.addAll(java.util.Collections.nCopies(10, "FR"));
        countries.addAll(java.util.Collections.nCopies(10, "ES"));
        countries.add("PT");
        countries.add(null);
        return Baseline.builder("user_txn", "training set 2026-11-01..2026-11-20", CLOCK)
                .numeric("amount_sum_1h", withNulls)
                .topCategories(3)
                .categorical("last_country", countries)
                .numeric("never_set", new double[] {Double.NaN, Double.POSITIVE_INFINITY})
                .build();
    }

    @Test
    void numericFeatureSummary() {
        Baseline.Numeric amount =
                (Baseline.Numeric) sample().feature("amount_sum_1h").orElseThrow();
        assertThat(amount.count()).isEqualTo(100);
        assertThat(amount.nulls()).isEqualTo(2);
        assertThat(amount.nullRate()).isEqualTo(2.0 / 102);
        assertThat(amount.mean()).isEqualTo(50.5);
        // sum of (i - 50.5)^2 for i = 1..100 is 83325: population var 833.25, sample var 841.666...
        assertThat(amount.populationStd()).isCloseTo(Math.sqrt(833.25), within(1e-12));
        assertThat(amount.sampleStd()).isCloseTo(Math.sqrt(83325.0 / 99), within(1e-12));
        assertThat(amount.min()).isEqualTo(1);
        assertThat(amount.max()).isEqualTo(100);
        // Type-7 deciles of 1..100: h = 99 j / 10, so 10.9, 20.8, ..., 90.1; ten values in each bin.
        assertThat(amount.edges().innerEdges())
                .containsExactly(new double[] {10.9, 20.8, 30.7, 40.6, 50.5, 60.4, 70.3, 80.2, 90.1}, within(1e-12));
        assertThat(amount.binCounts()).containsOnly(10);
        assertThat(amount.sketch().getN()).isEqualTo(100);
        assertThat(amount.sketch().getK()).isEqualTo(Baseline.DEFAULT_SKETCH_K);
    }

    @Test
    void anEmptyNumericFeatureHasUndefinedMoments() {
        Baseline.Numeric never =
                (Baseline.Numeric) sample().feature("never_set").orElseThrow();
        assertThat(never.count()).isZero();
        assertThat(never.nulls()).isEqualTo(2);
        assertThat(never.edges().binCount()).isEqualTo(1);
        assertThat(never.mean()).isNaN();
        assertThat(never.populationStd()).isNaN();
        assertThat(never.sketch().isEmpty()).isTrue();
    }

    @Test
    void edgesAreDeduplicatedWhenValuesRepeat() {
        double[] values = new double[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i < 900 ? 0 : i; // 90% zeros: the first eight deciles are all 0
        }
        Baseline.Numeric f = Baseline.Numeric.of("x", values, 10, 200);
        assertThat(f.edges().innerEdges()).hasSize(2).startsWith(0.0);
        assertThat(f.binCounts()).containsExactly(0, 900, 100);
    }

    @ParameterizedTest(name = "{0} with {1} bins")
    @CsvSource({"case-7-3, 5", "case-7-5, 5", "case-7-9, 5", "case-7-10, 6", "case-7-14, 20", "case-7-15, 2"})
    void edgesEqualNumpyQuantilesOfTheVectors(String name, int bins) {
        DriftVectors.Case c = DriftVectors.cases().stream()
                .filter(v -> v.name().equals(name))
                .findFirst()
                .orElseThrow();
        Baseline.Numeric f = Baseline.Numeric.of(name, c.reference().orElseThrow(), bins, 200);
        assertThat(f.edges().innerEdges()).isEqualTo(c.innerEdges().orElseThrow());
        assertThat(f.binCounts()).isEqualTo(c.referenceCounts());
    }

    @Test
    void categoricalKeepsTheTopNMostFrequentFirstAndTheRestAsOther() {
        Baseline.Categorical country =
                (Baseline.Categorical) sample().feature("last_country").orElseThrow();
        assertThat(country.count()).isEqualTo(101);
        assertThat(country.nulls()).isEqualTo(1);
        assertThat(country.topN()).isEqualTo(3);
        // FR and ES tie at 10: ties go by value, so ES is kept and FR joins PT in other.
        assertThat(country.categories())
                .containsExactly(Map.entry("US", 50L), Map.entry("DE", 30L), Map.entry("ES", 10L));
        assertThat(country.other()).isEqualTo(11);
        assertThat(country.binCounts()).containsExactly(50, 30, 10, 11);
    }

    @Test
    void aValueSpelledLikeOtherCountsAsOther() {
        Baseline.Categorical f = Baseline.Categorical.of("c", List.of("a", Baseline.OTHER, "a"), 5);
        assertThat(f.categories()).containsExactly(Map.entry("a", 2L));
        assertThat(f.other()).isEqualTo(1);
    }

    @Test
    void jsonRoundTripsExactly() {
        Baseline baseline = sample();
        String json = baseline.toJson();
        Baseline read = Baseline.fromJson(json);
        assertThat(read).isEqualTo(baseline);
        assertThat(read.toJson()).isEqualTo(json);
        assertThat(read.created()).isEqualTo(CREATED);
        assertThat(read.features().keySet()).containsExactly("amount_sum_1h", "last_country", "never_set");
        assertThat(json).contains("\"version\" : 1").contains("\"created\" : \"2026-11-27T12:00:00Z\"");
    }

    @Test
    void jsonRoundTripsDoublesThatHaveNoShortDecimalForm() {
        double[] values = new double[2000];
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian() * 1e-7 + Math.PI;
        }
        Baseline baseline =
                Baseline.builder("v", "s", CLOCK).numeric("x", values).build();
        assertThat(Baseline.fromJson(baseline.toJson())).isEqualTo(baseline);
    }

    @Test
    void badJsonIsReportedWithTheFieldItConcerns() {
        assertBad(root -> root.remove("version"), "version: missing");
        assertBad(root -> root.put("version", 2), "version: unsupported baseline version 2");
        assertBad(root -> root.put("created", "yesterday"), "created: must be an ISO-8601 instant");
        assertBad(root -> root.put("view", 3), "view: must be a string");
        assertBad(root -> root.put("features", "none"), "features: must be an array");
        assertBad(root -> feature(root, 0).put("type", "text"), "features[0].type: must be numeric or categorical");
        assertBad(
                root -> ((ArrayNode) feature(root, 0).get("bin_counts")).remove(0),
                "features[0].bin_counts: 9 counts for 10 bins");
        assertBad(
                root -> ((ArrayNode) feature(root, 0).get("bin_counts")).set(0, 11),
                "features[0].bin_counts: the counts add up to 101 but count is 100");
        assertBad(
                root -> ((ArrayNode) feature(root, 0).get("bin_counts")).set(1, -1),
                "features[0].bin_counts[1]: must be a non-negative integer");
        assertBad(
                root -> ((ArrayNode) feature(root, 0).get("inner_edges")).set(1, 1.0),
                "features[0].inner_edges: inner edges must increase strictly");
        assertBad(
                root -> ((ArrayNode) feature(root, 0).get("inner_edges")).set(2, "x"),
                "features[0].inner_edges[2]: must be a number");
        assertBad(root -> feature(root, 0).put("kll", "!!"), "features[0].kll: not Base64");
        assertBad(root -> feature(root, 0).put("kll", "AAAA"), "features[0].kll: not a serialized KLL sketch");
        assertBad(root -> feature(root, 0).put("mean", "high"), "features[0].mean: must be a number or null");
        assertBad(
                root -> feature(root, 1).put("other", 12),
                "features[1].count: is 101 but the categories and other add up to 102");
        assertBad(root -> feature(root, 1).remove("top_n"), "features[1].top_n: missing");
        assertBad(
                root -> ((ObjectNode) feature(root, 1).get("categories").get(1)).put("value", "US"),
                "features[1].categories[1].value: category US appears twice");
        assertBad(
                root -> feature(root, 2).put("name", "amount_sum_1h"),
                "features[2].name: feature amount_sum_1h appears twice");
        assertThatThrownBy(() -> Baseline.fromJson("{not json"))
                .isInstanceOf(InvalidBaselineException.class)
                .hasMessageStartingWith("baseline is not JSON");
        assertThatThrownBy(() -> Baseline.fromJson("[]"))
                .isInstanceOf(InvalidBaselineException.class)
                .hasMessage("baseline must be a JSON object");
    }

    private static ObjectNode feature(ObjectNode root, int index) {
        return (ObjectNode) root.get("features").get(index);
    }

    private static void assertBad(Consumer<ObjectNode> damage, String message) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root;
        try {
            root = (ObjectNode) mapper.readTree(sample().toJson());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        damage.accept(root);
        assertThatThrownBy(() -> Baseline.fromJson(root.toString()))
                .isInstanceOf(InvalidBaselineException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void builderChecksItsOptionsAndNames() {
        Baseline.Builder builder = Baseline.builder("v", "s", CLOCK).numeric("x", new double[] {1});
        assertThatThrownBy(() -> builder.numeric("x", new double[] {2})).hasMessage("feature x was already added");
        assertThatThrownBy(() -> builder.bins(0)).hasMessage("bins must be at least 1, was 0");
        assertThatThrownBy(() -> builder.topCategories(0)).hasMessage("topCategories must be at least 1, was 0");
        assertThatThrownBy(() -> builder.sketchK(4)).hasMessage("sketchK must be in [8, 65535], was 4");
        assertThatThrownBy(() -> Baseline.builder(" ", "s", CLOCK).build()).hasMessage("view must not be blank");
        assertThat(Arrays.asList(builder.build().features().keySet().toArray())).containsExactly("x");
    }
}
