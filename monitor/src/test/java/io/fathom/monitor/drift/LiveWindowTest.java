package io.fathom.monitor.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.monitor.MonitorException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveWindowTest {
    static final Baseline BASELINE = BaselineTest.sample();
    static final Baseline.Numeric AMOUNT =
            (Baseline.Numeric) BASELINE.feature("amount_sum_1h").orElseThrow();
    static final Baseline.Categorical COUNTRY =
            (Baseline.Categorical) BASELINE.feature("last_country").orElseThrow();

    @Test
    void aValueOnAnEdgeFallsInTheBinAboveIt() {
        BinEdges edges = BinEdges.of(1, 2, 3);
        assertThat(edges.index(0.5)).isZero();
        assertThat(edges.index(1)).isEqualTo(1);
        assertThat(edges.index(Math.nextDown(2.0))).isEqualTo(1);
        assertThat(edges.index(2)).isEqualTo(2);
        assertThat(edges.index(3)).isEqualTo(3);
        assertThat(edges.index(Double.POSITIVE_INFINITY)).isEqualTo(3);
        assertThat(edges.index(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(BinEdges.of().index(42)).isZero();
    }

    @Test
    void edgesMustIncreaseStrictlyAndBeFinite() {
        assertThatThrownBy(() -> BinEdges.of(1, 1)).hasMessageContaining("edge 1 is 1.0 after 1.0");
        assertThatThrownBy(() -> BinEdges.of(Double.NaN)).hasMessage("inner edge 0 is not finite: NaN");
    }

    @Test
    void numericWindowCountsBinsSketchAndNulls() {
        LiveWindow.Numeric window = (LiveWindow.Numeric) LiveWindow.of(AMOUNT);
        window.add(10.9); // on the first edge: bin 1
        window.add(0.0); // underflow
        window.add(1e9); // overflow
        window.add(Double.NaN);
        window.add(Double.NEGATIVE_INFINITY);
        window.add((Object) null);
        window.add(Integer.valueOf(55)); // bin 5: 50.5 <= 55 < 60.4
        assertThat(window.n()).isEqualTo(4);
        assertThat(window.nulls()).isEqualTo(3);
        assertThat(window.binCounts()).containsExactly(1, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(window.sketch().getN()).isEqualTo(4);
        assertThat(window.sketch().getK()).isEqualTo(AMOUNT.sketch().getK());
        assertThatThrownBy(() -> window.add("ten"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("feature amount_sum_1h is numeric but got a String: ten");
    }

    @Test
    void categoricalWindowCountsUnknownValuesAsOther() {
        LiveWindow window = LiveWindow.of(COUNTRY);
        for (String v : Arrays.asList("US", "US", "DE", "ES", "FR", "BR", null, Baseline.OTHER)) {
            window.add(v);
        }
        assertThat(window.n()).isEqualTo(7);
        assertThat(window.nulls()).isEqualTo(1);
        assertThat(window.binCounts()).containsExactly(2, 1, 1, 3);
    }

    @Test
    void mergingTwoHalvesEqualsOnePass() {
        List<Double> values = List.of(1.0, 5.0, 20.0, 33.3, 50.5, 77.0, 99.0, 101.0, -3.0, 64.0);
        LiveWindow whole = LiveWindow.of(AMOUNT);
        LiveWindow first = LiveWindow.of(AMOUNT);
        LiveWindow second = LiveWindow.of(AMOUNT);
        for (int i = 0; i < values.size(); i++) {
            whole.add(values.get(i));
            (i % 3 == 0 ? first : second).add(values.get(i));
        }
        whole.addNull();
        second.addNull();
        LiveWindow merged = first.merge(second);
        assertThat(merged).isSameAs(first);
        assertThat(merged.binCounts()).isEqualTo(whole.binCounts());
        assertThat(merged.n()).isEqualTo(whole.n());
        assertThat(merged.nulls()).isEqualTo(whole.nulls());
        assertThat(((LiveWindow.Numeric) merged).sketch().getN()).isEqualTo(whole.n());
    }

    @Test
    void windowsBinnedDifferentlyDoNotMerge() {
        LiveWindow amount = LiveWindow.of(AMOUNT);
        assertThatThrownBy(() -> amount.merge(LiveWindow.of(COUNTRY)))
                .isInstanceOf(MonitorException.class)
                .hasMessageContaining("cannot merge categorical window of last_country");
        assertThatThrownBy(() -> amount.merge(LiveWindow.numeric("amount_sum_1h", BinEdges.of(1, 2), 200)))
                .isInstanceOf(MonitorException.class);
        Baseline.Categorical fewer = Baseline.Categorical.of("last_country", List.of("US"), 3);
        assertThatThrownBy(() -> LiveWindow.of(COUNTRY).merge(LiveWindow.of(fewer)))
                .isInstanceOf(MonitorException.class);
    }
}
