package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.MonitorDefinition.DriftRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Laws of the drift statistics and windows. The statistical properties ("a window drawn from the
 * baseline's own distribution does not drift") hold with overwhelming but not total probability, so
 * they run with a fixed seed: the same samples every run, no flakes.
 */
class DriftPropertiesTest {
    static final List<String> SHAPES = List.of("normal", "lognormal", "exponential", "uniform", "discrete", "bimodal");

    static double draw(SplittableRandom random, String shape) {
        return switch (shape) {
            case "normal" -> 50 + 10 * random.nextGaussian();
            case "lognormal" -> Math.exp(random.nextGaussian());
            case "exponential" -> -Math.log(1 - random.nextDouble());
            case "uniform" -> random.nextDouble(-3, 3);
            case "discrete" -> random.nextInt(7);
            case "bimodal" -> random.nextBoolean() ? random.nextGaussian() : 8 + random.nextGaussian();
            default -> throw new IllegalArgumentException(shape);
        };
    }

    static double[] draw(SplittableRandom random, String shape, int n) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = draw(random, shape);
        }
        return values;
    }

    @Provide
    Arbitrary<String> shapes() {
        return Arbitraries.of(SHAPES);
    }

    @Property(tries = 30, seed = "20261127")
    void aWindowFromTheBaselinesOwnDistributionDoesNotDrift(
            @ForAll("shapes") String shape, @ForAll long seed, @ForAll @IntRange(min = 5_000, max = 10_000) int n) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] reference = draw(random, shape, 20_000);
        double[] current = draw(random, shape, n);
        Baseline.Numeric baseline = Baseline.Numeric.of("x", reference, 10, 200);
        LiveWindow window = LiveWindow.of(baseline);
        for (double v : current) {
            window.add(v);
        }
        DriftReport report = DriftReport.compute(baseline, window, new DriftRule("psi", 0.2), 500);
        // Under the null, PSI is about (bins - 1)(1/n + 1/m) <= 0.003 here: 0.1 is far out in the tail.
        assertThat(report.verdict()).isEqualTo(Verdict.OK);
        assertThat(report.score()).isLessThan(0.1);
        // The exact KS p-value is uniform under the null (conservative with ties): below 1e-4 once in 10^4.
        assertThat(KolmogorovSmirnov.test(reference, current).pValue()).isGreaterThanOrEqualTo(1e-4);
        // The sketch D adds at most the two rank errors (2.7%) to the exact D, itself below 0.04 here.
        assertThat(report.statistics().orElseThrow().ksStatistic()).isLessThan(0.07);
    }

    @Property(tries = 200)
    void belowMinSamplesIsInsufficientWhateverTheData(
            @ForAll @Size(max = 300)
                    List<@net.jqwik.api.constraints.DoubleRange(min = -1e300, max = 1e300) Double> values,
            @ForAll @IntRange(min = 1, max = 1_000) int extra,
            @ForAll("methods") String method) {
        LiveWindow window = LiveWindow.of(LiveWindowTest.AMOUNT);
        values.forEach(window::add);
        long minSamples = window.n() + extra;
        DriftReport report =
                DriftReport.compute(LiveWindowTest.AMOUNT, window, new DriftRule(method, 0.01), minSamples);
        assertThat(report.verdict()).isEqualTo(Verdict.INSUFFICIENT);
        assertThat(report.statistics()).isEmpty();
        assertThat(report.score()).isNaN();
    }

    @Provide
    Arbitrary<String> methods() {
        return Arbitraries.of(DriftRule.METHODS);
    }

    @Property(tries = 200)
    void mergingPartsInAnyOrderEqualsOnePass(
            @ForAll @Size(max = 400) List<Double> values,
            @ForAll @IntRange(min = 1, max = 5) int parts,
            @ForAll long seed) {
        Random random = new Random(seed);
        LiveWindow whole = LiveWindow.of(LiveWindowTest.AMOUNT);
        List<LiveWindow> windows = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            windows.add(LiveWindow.of(LiveWindowTest.AMOUNT));
        }
        for (Double v : values) {
            whole.add(v);
            windows.get(random.nextInt(parts)).add(v);
        }
        Collections.shuffle(windows, random);
        LiveWindow merged = windows.get(0);
        for (LiveWindow w : windows.subList(1, parts)) {
            merged.merge(w);
        }
        assertThat(merged.binCounts()).isEqualTo(whole.binCounts());
        assertThat(merged.n()).isEqualTo(whole.n());
        assertThat(merged.nulls()).isEqualTo(whole.nulls());
        assertThat(((LiveWindow.Numeric) merged).sketch().getN()).isEqualTo(whole.n());
        if (whole.n() > 0 && whole.n() <= 200) {
            // Below k values both sketches hold every value: same distribution, D = 0.
            assertThat(KolmogorovSmirnov.test(
                                    ((LiveWindow.Numeric) merged).sketch(), ((LiveWindow.Numeric) whole).sketch())
                            .statistic())
                    .isZero();
        }
    }

    @Property(tries = 300)
    void histogramStatisticsStayInTheirRanges(
            @ForAll @Size(min = 1, max = 30) List<@LongRange(max = 100_000) Long> a, @ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] reference = a.stream().mapToLong(Long::longValue).toArray();
        long[] current = new long[reference.length];
        for (int i = 0; i < current.length; i++) {
            current[i] = random.nextInt(4) == 0 ? 0 : random.nextLong(100_000);
        }
        double psi = HistogramDrift.psi(reference, current);
        assertThat(psi)
                .isGreaterThanOrEqualTo(0)
                .isCloseTo(
                        HistogramDrift.psi(current, reference),
                        org.assertj.core.api.Assertions.within(1e-9 * Math.max(1, psi)));
        assertThat(HistogramDrift.kl(reference, current))
                .isGreaterThanOrEqualTo(-1e-15)
                .isLessThanOrEqualTo(psi + 1e-12);
        assertThat(HistogramDrift.jsDistance(reference, current)).isBetween(0.0, 1.0);
        assertThat(HistogramDrift.psi(reference, reference)).isZero();
        ChiSquareHomogeneity.Result chi2 = ChiSquareHomogeneity.test(reference, current);
        if (!Double.isNaN(chi2.pValue())) {
            assertThat(chi2.pValue()).isBetween(0.0, 1.0);
            assertThat(chi2.statistic()).isGreaterThanOrEqualTo(0);
        }
    }

    @Property(tries = 100)
    void baselineJsonRoundTrips(
            @ForAll @Size(max = 300)
                    List<@net.jqwik.api.constraints.DoubleRange(min = -1e100, max = 1e100) Double> numbers,
            @ForAll @Size(max = 300) List<@net.jqwik.api.constraints.StringLength(max = 6) String> categories,
            @ForAll @IntRange(min = 1, max = 25) int bins,
            @ForAll @IntRange(min = 1, max = 25) int topN) {
        List<Double> withSpecials = new ArrayList<>(numbers);
        withSpecials.add(null);
        withSpecials.add(-0.0);
        withSpecials.add(Double.NaN);
        List<String> withNull = new ArrayList<>(categories);
        withNull.add(null);
        Baseline baseline = Baseline.builder("view \"quoted\" é", "source\nline", BaselineTest.CLOCK)
                .bins(bins)
                .topCategories(topN)
                .numeric("n", withSpecials)
                .categorical("c", withNull)
                .build();
        String json = baseline.toJson();
        assertThat(Baseline.fromJson(json)).isEqualTo(baseline);
        assertThat(Baseline.fromJson(json).toJson()).isEqualTo(json);
    }
}
