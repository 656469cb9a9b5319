package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.MonitorDefinition.DriftRule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftReportTest {
    static final DriftRule PSI = new DriftRule("psi", 0.2);

    static Baseline.Numeric normalBaseline(long seed, int n) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = 100 + 15 * random.nextGaussian();
        }
        return Baseline.Numeric.of("amount", values, 10, 200);
    }

    static LiveWindow normalWindow(Baseline.Numeric reference, long seed, int n, double mean) {
        SplittableRandom random = new SplittableRandom(seed);
        LiveWindow window = LiveWindow.of(reference);
        for (int i = 0; i < n; i++) {
            window.add(mean + 15 * random.nextGaussian());
        }
        return window;
    }

    @Test
    void aWindowLikeTheBaselineIsOk() {
        Baseline.Numeric reference = normalBaseline(1, 20_000);
        DriftReport report = DriftReport.compute(reference, normalWindow(reference, 2, 5_000, 100), PSI, 500);
        assertThat(report.verdict()).isEqualTo(Verdict.OK);
        DriftStatistics s = report.statistics().orElseThrow();
        assertThat(report.score()).isEqualTo(s.psi()).isLessThan(0.02);
        assertThat(s.ksStatistic()).isLessThan(0.05);
        assertThat(s.wassersteinNorm()).isLessThan(0.1);
        assertThat(s.chi2DegreesOfFreedom()).isEqualTo(9);
        assertThat(report.n()).isEqualTo(5_000);
        assertThat(report.referenceNullRate()).isZero();
    }

    @Test
    void aShiftedWindowDriftsByEveryMethod() {
        Baseline.Numeric reference = normalBaseline(3, 20_000);
        LiveWindow shifted = normalWindow(reference, 4, 5_000, 115); // one standard deviation up
        for (String method : DriftRule.METHODS) {
            double threshold = method.equals("chi2") ? 0.01 : 0.1;
            DriftReport report = DriftReport.compute(reference, shifted, new DriftRule(method, threshold), 500);
            assertThat(report.verdict()).as(method).isEqualTo(Verdict.DRIFT);
            assertThat(report.method().code()).isEqualTo(method);
        }
        DriftStatistics s =
                DriftReport.compute(reference, shifted, PSI, 500).statistics().orElseThrow();
        assertThat(s.wassersteinNorm()).isBetween(0.9, 1.1);
        assertThat(s.ksStatistic()).isBetween(0.33, 0.43); // 2 Phi(0.5) - 1 = 0.383 for a one-sigma shift
        assertThat(s.ksPValue()).isLessThan(1e-100);
    }

    @Test
    void chiSquareBreachesWhenItsPValueIsBelowTheThreshold() {
        Baseline.Numeric reference = normalBaseline(5, 20_000);
        LiveWindow same = normalWindow(reference, 6, 5_000, 100);
        DriftReport report = DriftReport.compute(reference, same, new DriftRule("chi2", 1e-6), 500);
        assertThat(report.score())
                .isEqualTo(report.statistics().orElseThrow().chi2PValue())
                .isGreaterThan(1e-6);
        assertThat(report.verdict()).isEqualTo(Verdict.OK);
        assertThat(DriftMethod.CHI2.breaches(0.001, 0.01)).isTrue();
        assertThat(DriftMethod.PSI.breaches(0.001, 0.01)).isFalse();
        assertThat(DriftMethod.PSI.breaches(Double.NaN, 0.01)).isFalse();
        assertThat(DriftMethod.CHI2.breaches(Double.NaN, 0.01)).isFalse();
    }

    @Test
    void belowMinSamplesIsInsufficientWhateverTheData() {
        Baseline.Numeric reference = normalBaseline(7, 20_000);
        LiveWindow wild = normalWindow(reference, 8, 499, 1e6);
        wild.addNull();
        DriftReport report = DriftReport.compute(reference, wild, PSI, 500);
        assertThat(report.verdict()).isEqualTo(Verdict.INSUFFICIENT);
        assertThat(report.statistics()).isEmpty();
        assertThat(report.score()).isNaN();
        assertThat(report.n()).isEqualTo(499);
        assertThat(report.nullRate()).isEqualTo(1.0 / 500);
        wild.add(1e6);
        assertThat(DriftReport.compute(reference, wild, PSI, 500).verdict()).isEqualTo(Verdict.DRIFT);
    }

    @Test
    void aBaselineWithoutValuesJudgesNothing() {
        Baseline.Numeric empty = Baseline.Numeric.of("amount", new double[] {Double.NaN}, 10, 200);
        LiveWindow window = LiveWindow.of(empty);
        for (int i = 0; i < 1000; i++) {
            window.add(i);
        }
        assertThat(DriftReport.compute(empty, window, PSI, 500).verdict()).isEqualTo(Verdict.INSUFFICIENT);
    }

    @Test
    void categoricalFeaturesHaveHistogramStatisticsOnly() {
        Baseline.Categorical country = LiveWindowTest.COUNTRY;
        LiveWindow window = LiveWindow.of(country);
        for (int i = 0; i < 1000; i++) {
            window.add(i % 2 == 0 ? "US" : "BR");
        }
        DriftReport report = DriftReport.compute(country, window, new DriftRule("js", 0.1), 500);
        DriftStatistics s = report.statistics().orElseThrow();
        assertThat(report.verdict()).isEqualTo(Verdict.DRIFT);
        assertThat(s.ksStatistic()).isNaN();
        assertThat(s.wassersteinNorm()).isNaN();
        assertThat(s.chi2DegreesOfFreedom()).isEqualTo(3);
        assertThatThrownBy(() -> DriftReport.compute(country, window, new DriftRule("ks", 0.1), 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("drift method ks needs a numeric feature, but last_country is categorical");
        assertThat(DriftMethod.KS.appliesTo(country)).isFalse();
        assertThat(DriftMethod.CHI2.appliesTo(country)).isTrue();
    }

    @Test
    void aWindowOfAnotherFeatureIsRefused() {
        Baseline.Numeric reference = normalBaseline(9, 1000);
        assertThatThrownBy(() -> DriftReport.compute(reference, LiveWindow.of(LiveWindowTest.COUNTRY), PSI, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not binned like the baseline of amount");
        assertThatThrownBy(() -> DriftReport.compute(reference, LiveWindow.of(reference), PSI, 0))
                .hasMessage("minSamples must be at least 1, was 0");
    }

    @Test
    void methodsByCode() {
        assertThat(DriftMethod.of("wasserstein")).isEqualTo(DriftMethod.WASSERSTEIN);
        assertThat(DriftRule.METHODS)
                .containsExactlyElementsOf(java.util.Arrays.stream(DriftMethod.values())
                        .map(DriftMethod::code)
                        .toList());
        assertThatThrownBy(() -> DriftMethod.of("psy"))
                .hasMessage("drift method must be one of [psi, kl, js, wasserstein, ks, chi2], was psy");
    }
}
