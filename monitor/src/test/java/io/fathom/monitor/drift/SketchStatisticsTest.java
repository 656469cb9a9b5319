package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The live path's KS and Wasserstein, computed from KLL sketches (k = 200), against the exact
 * statistics on the same samples: within the bound the sketches' normalized rank error gives.
 */
class SketchStatisticsTest {

    static double[] sample(SplittableRandom random, String shape, int n, double shift) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = shift
                    + switch (shape) {
                        case "normal" -> random.nextGaussian();
                        case "exponential" -> -Math.log(1 - random.nextDouble());
                        case "uniform" -> random.nextDouble();
                        case "discrete" -> random.nextInt(5);
                        default -> throw new IllegalArgumentException(shape);
                    };
        }
        return values;
    }

    static KllDoublesSketch sketch(double[] values) {
        KllDoublesSketch sketch = KllDoublesSketch.newHeapInstance(200);
        for (double v : values) {
            sketch.update(v);
        }
        return sketch;
    }

    static Object[][] cases() {
        return new Object[][] {
            {"normal", 0.0},
            {"normal", 0.3},
            {"exponential", 0.0},
            {"exponential", 0.5},
            {"uniform", 0.05},
            {"discrete", 0.0},
            {"discrete", 1.0}
        };
    }

    @ParameterizedTest(name = "{0} shifted by {1}")
    @MethodSource("cases")
    void sketchStatisticsStayWithinTheRankErrorBound(String shape, double shift) {
        SplittableRandom random = new SplittableRandom(shape.hashCode() * 31L + Double.hashCode(shift));
        double[] reference = sample(random, shape, 50_000, 0);
        double[] current = sample(random, shape, 20_000, shift);
        KllDoublesSketch ref = sketch(reference);
        KllDoublesSketch cur = sketch(current);

        KolmogorovSmirnov.Result exact = KolmogorovSmirnov.test(reference, current);
        KolmogorovSmirnov.Result approximate = KolmogorovSmirnov.test(ref, cur);
        double ksBound = KolmogorovSmirnov.sketchErrorBound(ref, cur);
        assertThat(ksBound).isBetween(0.026, 0.027); // 2 x 1.33%
        assertThat(Math.abs(approximate.statistic() - exact.statistic())).isLessThanOrEqualTo(ksBound);

        double exactW = Wasserstein.distance(reference, current);
        double approximateW = Wasserstein.distance(ref, cur);
        assertThat(Math.abs(approximateW - exactW)).isLessThanOrEqualTo(Wasserstein.sketchErrorBound(ref, cur));
        // In practice the rank errors partly cancel along the integral: over 200 trials of these shapes
        // the normalized W was never off by more than 0.047 (the bound above is several times that).
        double std = Wasserstein.populationStd(reference);
        assertThat(Math.abs(Wasserstein.normalized(ref, cur, std) - Wasserstein.normalized(reference, current)))
                .isLessThan(0.1);
    }

    @Test
    void smallSketchesAreExact() {
        // Below k values a KLL sketch keeps every value: the step functions are the samples'.
        double[] a = {1, 2, 2, 3, 7.5, 9};
        double[] b = {2, 4, 4, 5, 8, 8, 10};
        KolmogorovSmirnov.Result fromSketches = KolmogorovSmirnov.test(sketch(a), sketch(b));
        KolmogorovSmirnov.Result exact = KolmogorovSmirnov.test(a, b);
        assertThat(fromSketches.statistic()).isCloseTo(exact.statistic(), within(1e-15));
        assertThat(fromSketches.pValue()).isCloseTo(exact.pValue(), within(1e-12));
        assertThat(Wasserstein.distance(sketch(a), sketch(b))).isCloseTo(Wasserstein.distance(a, b), within(1e-15));
    }

    @Test
    void disjointSamplesAreFullyApart() {
        // DataSketches' computeKSDelta gives 0.5 here; the supremum is 1.
        KolmogorovSmirnov.Result result =
                KolmogorovSmirnov.test(sketch(new double[] {1, 2}), sketch(new double[] {3, 4}));
        assertThat(result.statistic()).isEqualTo(1);
        assertThat(Wasserstein.distance(new double[] {1, 2}, new double[] {3, 4}))
                .isEqualTo(2);
    }

    @Test
    void emptySidesAreUndefined() {
        KllDoublesSketch empty = KllDoublesSketch.newHeapInstance(200);
        assertThat(KolmogorovSmirnov.test(empty, sketch(new double[] {1})))
                .isEqualTo(KolmogorovSmirnov.Result.UNDEFINED);
        assertThat(KolmogorovSmirnov.test(new double[0], new double[] {1}))
                .isEqualTo(KolmogorovSmirnov.Result.UNDEFINED);
        assertThat(Wasserstein.distance(empty, sketch(new double[] {1}))).isNaN();
        assertThat(ChiSquareHomogeneity.test(new long[] {0, 0}, new long[] {1, 2}))
                .isEqualTo(ChiSquareHomogeneity.Result.UNDEFINED);
    }

    @Test
    void pValueOfTinySamples() {
        // One value a side: D = 1, N = round(1/2) = 1 (Math.round rounds half up), P(D_1 >= 1) = 0.
        assertThat(KolmogorovSmirnov.test(new double[] {0}, new double[] {1}))
                .isEqualTo(new KolmogorovSmirnov.Result(1, 0));
        // D_N >= 1/(2N) always.
        assertThat(KolmogorovSmirnov.pValue(0.001, 100, 100)).isEqualTo(1);
        assertThat(KolmogorovSmirnov.pValue(0.75, 1, 1000)).isEqualTo(0.5);
    }
}
