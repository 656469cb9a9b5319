package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of {@code testdata/drift-vectors.json} (test resources) (numpy/scipy, computed independently):
 * statistics to a relative error of 1e-9, p-values to 1e-6.
 */
class DriftVectorsTest {
    static final double STATISTIC_TOLERANCE = 1e-9;
    static final double P_VALUE_TOLERANCE = 1e-6;

    static List<DriftVectors.Case> cases() {
        return DriftVectors.cases();
    }

    @Test
    void theFileHoldsSampleAndCountOnlyCases() {
        assertThat(cases()).hasSizeGreaterThanOrEqualTo(28);
        assertThat(cases()).anyMatch(DriftVectors.Case::hasSamples);
        assertThat(cases()).anyMatch(c -> !c.hasSamples());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void binRuleReproducesTheCounts(DriftVectors.Case c) {
        if (!c.hasSamples()) {
            return;
        }
        BinEdges edges = BinEdges.of(c.innerEdges().orElseThrow());
        assertThat(edges.counts(c.reference().orElseThrow())).isEqualTo(c.referenceCounts());
        assertThat(edges.counts(c.current().orElseThrow())).isEqualTo(c.currentCounts());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void histogramStatistics(DriftVectors.Case c) {
        long[] ref = c.referenceCounts();
        long[] cur = c.currentCounts();
        assertClose(c, "psi", HistogramDrift.psi(ref, cur), STATISTIC_TOLERANCE);
        assertClose(c, "kl", HistogramDrift.kl(ref, cur), STATISTIC_TOLERANCE);
        assertClose(c, "js", HistogramDrift.jsDistance(ref, cur), STATISTIC_TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void chiSquareHomogeneity(DriftVectors.Case c) {
        ChiSquareHomogeneity.Result result = ChiSquareHomogeneity.test(c.referenceCounts(), c.currentCounts());
        assertClose(c, "chi2_statistic", result.statistic(), STATISTIC_TOLERANCE);
        assertClose(c, "chi2_pvalue", result.pValue(), P_VALUE_TOLERANCE);
        assertThat(result.degreesOfFreedom()).as(c + " chi2_dof").isEqualTo((int) c.expect("chi2_dof"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kolmogorovSmirnovOnSamples(DriftVectors.Case c) {
        if (!c.hasSamples()) {
            return;
        }
        double[] ref = c.reference().orElseThrow();
        double[] cur = c.current().orElseThrow();
        KolmogorovSmirnov.Result result = KolmogorovSmirnov.test(ref, cur);
        assertClose(c, "ks_statistic", result.statistic(), STATISTIC_TOLERANCE);
        assertClose(c, "ks_pvalue", result.pValue(), P_VALUE_TOLERANCE);
        // The streaming path's p-value, given the exact D, is the same function.
        assertClose(
                c,
                "ks_pvalue",
                KolmogorovSmirnov.pValue(result.statistic(), ref.length, cur.length),
                P_VALUE_TOLERANCE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void normalizedWasserstein(DriftVectors.Case c) {
        if (!c.hasSamples()) {
            return;
        }
        double actual =
                Wasserstein.normalized(c.reference().orElseThrow(), c.current().orElseThrow());
        assertClose(c, "wasserstein_norm", actual, STATISTIC_TOLERANCE);
    }

    static void assertClose(DriftVectors.Case c, String field, double actual, double relativeTolerance) {
        double expected = c.expect(field);
        double error = Math.abs(actual - expected);
        assertThat(error <= relativeTolerance * Math.abs(expected) || (expected == 0 && actual == 0))
                .as(
                        "%s %s: expected %s, was %s (relative error %s)",
                        c, field, expected, actual, error / Math.abs(expected))
                .isTrue();
    }
}
