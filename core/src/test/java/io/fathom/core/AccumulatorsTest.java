package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.fathom.schemas.avro.FieldAccumulator;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The merge laws of field accumulators: splitting values into parts and merging equals one pass. */
class AccumulatorsTest {
    /** Every slot but distinct (which is merged by union, see DistinctSketchesTest). */
    private static final FieldNeeds ALL = new FieldNeeds(true, true, true, true, true, false, true, true, false, false);

    record Value(long ts, double number) {}

    @Property(tries = 300)
    void mergingPartsInOrderEqualsOnePass(@ForAll("values") List<Value> values, @ForAll("cuts") List<Integer> cuts) {
        FieldAccumulator onePass = accumulate(values);
        List<FieldAccumulator> parts = split(values, cuts);

        FieldAccumulator forwards = Accumulators.empty();
        parts.forEach(part -> Accumulators.merge(forwards, part, ALL, true));
        assertSame(forwards, onePass);

        // As WindowEvaluator walks tiles: newest first, each older part merged as "not later".
        FieldAccumulator backwards = Accumulators.empty();
        for (int i = parts.size() - 1; i >= 0; i--) {
            Accumulators.merge(backwards, parts.get(i), ALL, false);
        }
        assertSame(backwards, onePass);
    }

    @Property(tries = 300)
    void mergeIsAssociative(
            @ForAll("values") List<Value> a, @ForAll("values") List<Value> b, @ForAll("values") List<Value> c) {
        FieldAccumulator left = accumulate(a);
        Accumulators.merge(left, accumulate(b), ALL, true);
        Accumulators.merge(left, accumulate(c), ALL, true);

        FieldAccumulator bc = accumulate(b);
        Accumulators.merge(bc, accumulate(c), ALL, true);
        FieldAccumulator right = accumulate(a);
        Accumulators.merge(right, bc, ALL, true);

        assertSame(left, right);
    }

    @Property(tries = 300)
    void mergeIsCommutativeExceptForTies(@ForAll("values") List<Value> a, @ForAll("values") List<Value> b) {
        FieldAccumulator ab = accumulate(a);
        Accumulators.merge(ab, accumulate(b), ALL, true);
        FieldAccumulator ba = accumulate(b);
        Accumulators.merge(ba, accumulate(a), ALL, false);

        assertSame(ab, ba);
    }

    @Test
    void tiesKeepTheEarlierFirstAndTheLaterLast() {
        FieldAccumulator earlier = accumulate(List.of(new Value(5, 1), new Value(5, 2)));
        FieldAccumulator later = accumulate(List.of(new Value(5, 3), new Value(5, 4)));
        assertThat(earlier.getFirst()).isEqualTo(1.0);
        assertThat(earlier.getLast()).isEqualTo(2.0);

        FieldAccumulator forwards = Accumulators.empty();
        Accumulators.merge(forwards, earlier, ALL, true);
        Accumulators.merge(forwards, later, ALL, true);
        FieldAccumulator backwards = Accumulators.empty();
        Accumulators.merge(backwards, later, ALL, false);
        Accumulators.merge(backwards, earlier, ALL, false);

        assertThat(List.of(forwards.getFirst(), forwards.getLast())).containsExactly(1.0, 4.0);
        assertThat(List.of(backwards.getFirst(), backwards.getLast())).containsExactly(1.0, 4.0);
    }

    @Test
    void stddevNeedsTwoValues() {
        assertThat(Aggregate.of(accumulate(List.of())).stddev()).isNull();
        assertThat(Aggregate.of(accumulate(List.of())).mean()).isNull();
        assertThat(Aggregate.of(accumulate(List.of(new Value(1, 3)))).stddev()).isNull();
        assertThat(Aggregate.of(accumulate(List.of(new Value(1, 3), new Value(2, 3))))
                        .stddev())
                .isZero();
    }

    @Test
    void negativeZeroIsTheMinimumOfZeros() {
        FieldAccumulator acc = accumulate(List.of(new Value(1, 0.0), new Value(2, -0.0)));
        assertThat(acc.getMin()).isEqualTo(-0.0);
        assertThat(acc.getMax()).isEqualTo(0.0);
    }

    @Provide
    Arbitrary<List<Value>> values() {
        // Times from a small range so that ties are frequent; numbers of several magnitudes, but well
        // conditioned (an offset of 1e9 with spread 0.1 loses ~1e-6 of m2 to rounding in any double algorithm).
        Arbitrary<Double> numbers = Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.integers().between(-100, 100).map(i -> i / 4.0),
                Arbitraries.doubles().between(1_000, 1_001));
        return Combinators.combine(Arbitraries.longs().between(0, 20), numbers)
                .as(Value::new)
                .list()
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 40).list().ofMaxSize(6);
    }

    private static FieldAccumulator accumulate(List<Value> values) {
        FieldAccumulator acc = Accumulators.empty();
        values.forEach(v -> Accumulators.add(acc, ALL, v.ts(), v.number(), v.number()));
        return acc;
    }

    /** Consecutive parts of the values, cut at the given positions (clamped, sorted). */
    private static List<FieldAccumulator> split(List<Value> values, List<Integer> cuts) {
        List<Integer> positions = new ArrayList<>();
        positions.add(0);
        cuts.stream().map(c -> Math.min(c, values.size())).sorted().forEach(positions::add);
        positions.add(values.size());
        List<FieldAccumulator> parts = new ArrayList<>();
        for (int i = 1; i < positions.size(); i++) {
            parts.add(accumulate(values.subList(positions.get(i - 1), positions.get(i))));
        }
        return parts;
    }

    /** Equal up to rounding: counts, min, max and first/last exactly, sums and moments within 1e-9. */
    private static void assertSame(FieldAccumulator actual, FieldAccumulator expected) {
        assertThat(actual.getCount()).isEqualTo(expected.getCount());
        assertThat(actual.getMin()).isEqualTo(expected.getMin());
        assertThat(actual.getMax()).isEqualTo(expected.getMax());
        assertThat(List.of(String.valueOf(actual.getFirstTs()), String.valueOf(actual.getFirst())))
                .containsExactly(String.valueOf(expected.getFirstTs()), String.valueOf(expected.getFirst()));
        assertThat(List.of(String.valueOf(actual.getLastTs()), String.valueOf(actual.getLast())))
                .containsExactly(String.valueOf(expected.getLastTs()), String.valueOf(expected.getLast()));
        double scale = Math.max(1.0, Math.abs(expected.getMean()));
        assertThat(actual.getSum())
                .isCloseTo(expected.getSum(), within(1e-9 * Math.max(scale, Math.abs(expected.getSum()))));
        assertThat(actual.getMean()).isCloseTo(expected.getMean(), within(1e-9 * scale));
        assertThat(actual.getM2())
                .isCloseTo(expected.getM2(), within(1e-9 * Math.max(1.0, Math.abs(expected.getM2()))));
    }
}
