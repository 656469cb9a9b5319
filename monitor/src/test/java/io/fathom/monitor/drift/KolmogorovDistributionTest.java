package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The distribution reached directly equals what Commons Statistics' public one-sample exact test returns: for a
 * sample of size N whose D against a CDF is d (the points {@code 0 .. N-1} against {@code min(1, v / N + d)}), its
 * p-value is {@code P(D_N >= d)}. Across the sizes where Commons switches algorithms (exact below 140, Durbin's
 * matrix, Pomeranz, Pelz-Good above 100 000) and the Smirnov-Birnbaum-Tingey tail.
 */
class KolmogorovDistributionTest {
    private static final KolmogorovSmirnovTest ONE_SAMPLE_EXACT = KolmogorovSmirnovTest.withDefaults()
            .with(AlternativeHypothesis.TWO_SIDED)
            .with(PValueMethod.EXACT);

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {2, 3, 10, 139, 140, 141, 1_000, 8_333, 40_000, 100_001})
    void equalsThePublicOneSampleExactTest(int n) {
        for (double d : new double[] {0.6 / n, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.3, 0.5, 0.9, 1.0}) {
            if (d <= 0.5 / n) {
                continue; // the points' D cannot be below 1 / (2N)
            }
            double expected = publicTest(d, n);
            assertThat(KolmogorovDistribution.oneSampleSf(d, n))
                    .as("P(D_%d >= %s)", n, d)
                    .isCloseTo(expected, within(1e-12 + 1e-9 * expected));
        }
    }

    @ParameterizedTest(name = "d = {0}")
    @ValueSource(doubles = {0.0, 0.25, 0.5, 0.75, 1.0})
    void oneValueIsTheClosedForm(double d) {
        // D_1 = max(U, 1 - U) for one uniform U: P(D_1 >= d) = 1 up to 1/2, then 2 (1 - d).
        assertThat(KolmogorovDistribution.oneSampleSf(d, 1)).isCloseTo(d <= 0.5 ? 1 : 2 * (1 - d), within(1e-15));
    }

    private static double publicTest(double d, int n) {
        double[] points = new double[n];
        for (int i = 0; i < n; i++) {
            points[i] = i;
        }
        return ONE_SAMPLE_EXACT.test(points, v -> Math.min(1, v / n + d)).getPValue();
    }
}
