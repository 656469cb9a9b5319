package io.fathom.core;

import static io.fathom.core.Fixtures.assertRejected;
import static io.fathom.core.Fixtures.fields;
import static io.fathom.core.Fixtures.view;
import static io.fathom.schemas.Aggregation.COUNT;
import static io.fathom.schemas.Aggregation.COUNT_DISTINCT;
import static io.fathom.schemas.Aggregation.FIRST;
import static io.fathom.schemas.Aggregation.LAST;
import static io.fathom.schemas.Aggregation.MAX;
import static io.fathom.schemas.Aggregation.MEAN;
import static io.fathom.schemas.Aggregation.MIN;
import static io.fathom.schemas.Aggregation.STDDEV;
import static io.fathom.schemas.Aggregation.SUM;
import static io.fathom.testkit.Definitions.feature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import io.fathom.testkit.Definitions;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class TileAggregatorTest {
    private static final long MINUTE = 60_000L;
    private static final long HOUR = 60 * MINUTE;
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    private final TileAggregator userTxn = new TileAggregator(ViewPlan.of(Definitions.userTxn()));

    @Test
    void anEmptyStateReadsZeroCountsAndNulls() {
        EntityState state = userTxn.newState();

        assertThat(state.getLatestEventTs()).isEqualTo(Long.MIN_VALUE);
        assertThat(state.getTiles()).isEmpty();
        assertThat(state.getLifetime()).hasSize(3);
        assertThat(userTxn.evaluate(state, T0))
                .containsExactly(
                        entry("txn_count_1h", 0L),
                        entry("amount_sum_1h", 0.0),
                        entry("amount_avg_1d", null),
                        entry("amount_max_1d", null),
                        entry("amount_std_1d", null),
                        entry("merchants_1d", null),
                        entry("last_country", null));
    }

    @Test
    void theDesignExample() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", 10L, "merchant", "m1", "country", "FR"));
        userTxn.add(state, T0 + 30 * MINUTE, fields("amount", 20.5, "merchant", "m2", "country", "DE"));
        userTxn.add(state, T0 + 2 * HOUR, fields("amount", 30L, "merchant", "m1", "country", null));

        Map<String, Object> values = userTxn.evaluate(state, T0 + 2 * HOUR);

        assertThat(values.keySet()).containsExactlyElementsOf(userTxn.plan().featureNames());
        assertThat(values).containsEntry("txn_count_1h", 1L).containsEntry("amount_sum_1h", 30.0);
        assertThat((Double) values.get("amount_avg_1d")).isCloseTo(60.5 / 3, within(1e-12));
        assertThat(values).containsEntry("amount_max_1d", 30.0);
        assertThat((Double) values.get("amount_std_1d")).isCloseTo(sampleStddev(10, 20.5, 30), within(1e-12));
        assertThat(values).containsEntry("merchants_1d", 2L).containsEntry("last_country", "DE");
        assertThat(userTxn.evaluateValues(state, T0 + 2 * HOUR))
                .as("the same values by position, in featureNames() order")
                .containsExactlyElementsOf(values.values());
        // txn_count_1h (0) and merchants_1d (5): the others stay null
        assertThat(userTxn.evaluateValues(state, T0 + 2 * HOUR, userTxn.select(5, 0)))
                .containsExactly(1L, null, null, null, null, 2L, null);
        assertThat(userTxn.evaluateValues(state, T0 + 2 * HOUR, userTxn.select(6)))
                .containsExactly(null, null, null, null, null, null, "DE");
        assertThat(userTxn.evaluateValues(state, T0 + 2 * HOUR, userTxn.select()))
                .containsOnlyNulls();
    }

    @Test
    void selectionsNameTheirViewAndItsFeatures() {
        assertThatThrownBy(() -> userTxn.select(7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("view user_txn has features 0 to 6, not 7");
        assertThatThrownBy(() -> userTxn.select(-1)).isInstanceOf(IllegalArgumentException.class);
        TileAggregator same = new TileAggregator(ViewPlan.of(Definitions.userTxn()));
        assertThat(userTxn.evaluateValues(userTxn.newState(), T0, same.select(0)))
                .as("another plan of the same view")
                .startsWith(0L);
        TileAggregator other = new TileAggregator(ViewPlan.of(
                Definitions.view("other").count("n_1h", Duration.ofHours(1)).build()));
        assertThatThrownBy(() -> userTxn.evaluateValues(userTxn.newState(), T0, other.select(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a selection of view other cannot evaluate view user_txn");
    }

    @Test
    void windowsAreEvaluatedAtReadTime() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", 10L));

        assertThat(userTxn.evaluate(state, T0 + 2 * HOUR))
                .containsEntry("txn_count_1h", 0L)
                .containsEntry("amount_sum_1h", 0.0)
                .containsEntry("amount_avg_1d", 10.0);
        assertThat(userTxn.evaluate(state, T0 + 25 * HOUR))
                .containsEntry("amount_avg_1d", null)
                .containsEntry("amount_max_1d", null);
    }

    @Test
    void theWindowStartIsRoundedDownToATile() {
        TileAggregator counts = aggregator(Duration.ZERO, feature("c", COUNT, null, Duration.ofHours(1)));
        EntityState state = counts.newState();
        long t = T0 + 2 * HOUR + 30 * 1000; // half a minute into a tile
        counts.add(state, t - HOUR - 30 * 1000 - 1, Map.of()); // last millisecond of the tile before the window
        counts.add(state, t - HOUR - 30 * 1000, Map.of()); // first millisecond of the window's first tile
        counts.add(state, t - HOUR - 1, Map.of()); // before t - W, but in the first tile
        counts.add(state, t, Map.of());

        assertThat(counts.evaluate(state, t)).containsEntry("c", 3L);
    }

    @Test
    void negativeTimesUseFloorDivision() {
        TileAggregator counts = aggregator(Duration.ZERO, feature("c", COUNT, null, Duration.ofMinutes(1)));
        EntityState state = counts.newState();
        counts.add(state, -MINUTE - 1, Map.of()); // tile -2
        counts.add(state, -MINUTE, Map.of()); // tile -1
        counts.add(state, -1, Map.of()); // tile -1

        assertThat(state.getTiles()).extracting(Tile::getIndex).containsExactly(-2L, -1L);
        assertThat(counts.evaluate(state, -1)).containsEntry("c", 3L);
        assertThat(counts.evaluate(state, 0)).containsEntry("c", 2L);
    }

    @Test
    void lateEventsWithinTheAllowedLatenessUpdateTheirTile() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0 + 10 * MINUTE, fields("amount", 1L));
        userTxn.add(state, T0, fields("amount", 2L)); // exactly 10 minutes late: allowed
        userTxn.add(state, T0 + 5 * MINUTE, fields("amount", 4L));

        assertThat(state.getLatestEventTs()).isEqualTo(T0 + 10 * MINUTE);
        assertThat(state.getTiles())
                .extracting(Tile::getIndex, Tile::getEvents)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(T0 / MINUTE, 1L),
                        org.assertj.core.groups.Tuple.tuple(T0 / MINUTE + 5, 1L),
                        org.assertj.core.groups.Tuple.tuple(T0 / MINUTE + 10, 1L));
        assertThat(userTxn.evaluate(state, T0 + 10 * MINUTE)).containsEntry("amount_sum_1h", 7.0);
    }

    @Test
    void tooLateEventsAreRejectedWithoutChangingTheState() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0 + 10 * MINUTE + 1, fields("amount", 1L, "merchant", "m"));
        EntityState before = userTxn.copy(state);

        assertRejected(() -> userTxn.add(state, T0, fields("amount", 2L)), Reason.LATE)
                .hasMessageContaining(Long.toString(T0))
                .hasMessageContaining(Long.toString(T0 + 10 * MINUTE + 1))
                .hasMessageContaining("600000ms");
        assertThat(state).isEqualTo(before);
    }

    @Test
    void eventsAreJudgedAgainstTheWatermarkNotTheEntitysLatestEvent() {
        EntityState state = userTxn.newState();
        long watermark = T0 + 5 * MINUTE;
        userTxn.add(state, T0 + 40 * MINUTE, fields("amount", 1L), watermark);
        userTxn.add(state, T0, fields("amount", 2L), watermark); // 40 minutes behind the entity, 5 behind the watermark
        userTxn.add(state, T0 - 5 * MINUTE, fields("amount", 4L), watermark); // exactly 10 minutes: allowed
        EntityState before = userTxn.copy(state);

        assertRejected(() -> userTxn.add(state, T0 - 5 * MINUTE - 1, fields("amount", 8L), watermark), Reason.LATE)
                .hasMessageContaining("behind the watermark at " + watermark)
                .hasMessageContaining("600000ms");
        assertThat(state).isEqualTo(before);
        assertThat(state.getLatestEventTs()).isEqualTo(T0 + 40 * MINUTE);
        assertThat(userTxn.evaluate(state, T0 + 40 * MINUTE)).containsEntry("amount_sum_1h", 7.0);
    }

    @Test
    void withoutAWatermarkNothingIsLateAndNothingDropped() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0 + 100 * HOUR, fields("amount", 1L), Long.MIN_VALUE);
        userTxn.add(state, T0, fields("amount", 2L), Long.MIN_VALUE);
        assertThat(state.getTiles()).extracting(Tile::getIndex).containsExactly(T0 / MINUTE, T0 / MINUTE + 6_000);
    }

    /**
     * Tiles are dropped behind the watermark, not behind the entity's latest event: an entity ahead of the
     * watermark keeps the tiles of events the watermark still accepts.
     */
    @Test
    void tilesOlderThanTheRetentionBehindTheWatermarkAreDropped() {
        EntityState state = userTxn.newState();
        long retention = userTxn.plan().retentionMillis();
        long watermark = T0 + 3 * MINUTE;
        userTxn.add(state, T0, fields("amount", 1L), watermark);
        userTxn.add(state, T0 + retention + HOUR, fields("amount", 1L), watermark);
        assertThat(state.getTiles())
                .as("ahead of the watermark by more than the retention: the old tile stays")
                .hasSize(2);
        userTxn.add(state, T0 - 5 * MINUTE, fields("amount", 1L), watermark); // accepted: its tile is there
        assertThat(state.getTiles()).hasSize(3);

        long later = T0 + retention + 6 * MINUTE;
        userTxn.add(state, T0 + retention + HOUR, fields("amount", 1L), later);
        assertThat(state.getTiles())
                .extracting(Tile::getIndex)
                .as("tiles before floor((watermark - retention) / g) are gone")
                .containsExactly((T0 + retention + HOUR) / MINUTE);
        assertThat(Math.floorDiv(later - retention, MINUTE)).isEqualTo(T0 / MINUTE + 6);
    }

    @Test
    void wrongTypesAreRejectedWithoutChangingTheState() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", 1L, "merchant", "m", "country", "FR"));
        EntityState before = userTxn.copy(state);

        assertRejected(() -> userTxn.add(state, T0 + 1, fields("amount", "12.5")), Reason.WRONG_TYPE)
                .hasMessageContaining("amount")
                .hasMessageContaining("\"12.5\"");
        assertRejected(() -> userTxn.add(state, T0 + 1, fields("amount", true)), Reason.WRONG_TYPE);
        assertRejected(() -> userTxn.add(state, T0 + 1, fields("amount", Double.NaN)), Reason.WRONG_TYPE);
        assertRejected(() -> userTxn.add(state, T0 + 1, fields("amount", Double.POSITIVE_INFINITY)), Reason.WRONG_TYPE);
        assertRejected(
                        () -> userTxn.add(state, T0 + 1, fields("amount", 5L, "country", Map.of("a", 1))),
                        Reason.WRONG_TYPE)
                .hasMessageContaining("country");
        assertThat(state).isEqualTo(before);
    }

    @Test
    void otherFieldsAndNullsAreIgnored() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", null, "unused", Map.of(), "merchant", null));
        userTxn.add(state, T0 + 1, fields("amount", 3L));

        assertThat(userTxn.evaluate(state, T0 + 1))
                .containsEntry("txn_count_1h", 2L)
                .containsEntry("amount_avg_1d", 3.0)
                .containsEntry("amount_std_1d", null)
                .containsEntry("merchants_1d", null)
                .containsEntry("last_country", null);
    }

    @Test
    void evaluatingBeforeTheLatestEventIsRefused() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0 + 5, Map.of());

        assertThatThrownBy(() -> userTxn.evaluate(state, T0 + 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(T0 + 4))
                .hasMessageContaining(Long.toString(T0 + 5));
        assertThatThrownBy(() -> userTxn.evaluateValues(state, T0 + 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Long.toString(T0 + 4));
        assertThat(userTxn.evaluate(state, T0 + 5)).containsEntry("txn_count_1h", 1L);
    }

    @Test
    void aggregations() {
        TileAggregator all = aggregator(
                Duration.ZERO,
                feature("count", COUNT, null, Duration.ofHours(1)),
                feature("sum", SUM, "x", Duration.ofHours(1)),
                feature("mean", MEAN, "x", Duration.ofHours(1)),
                feature("min", MIN, "x", Duration.ofHours(1)),
                feature("max", MAX, "x", Duration.ofHours(1)),
                feature("stddev", STDDEV, "x", Duration.ofHours(1)),
                feature("distinct", COUNT_DISTINCT, "x", Duration.ofHours(1)),
                feature("first", FIRST, "x", Duration.ofHours(1)),
                feature("last", LAST, "x", Duration.ofHours(1)));
        EntityState state = all.newState();
        long[] values = {2, 4, 4, 4, 5, 5, 7, 9};
        for (int i = 0; i < values.length; i++) {
            all.add(state, T0 + i * 7 * MINUTE, fields("x", values[i]));
        }

        Map<String, Object> result = all.evaluate(state, T0 + 49 * MINUTE);
        assertThat(result)
                .containsEntry("count", 8L)
                .containsEntry("sum", 40.0)
                .containsEntry("mean", 5.0)
                .containsEntry("min", 2.0)
                .containsEntry("max", 9.0)
                .containsEntry("distinct", 5L)
                .containsEntry("first", 2L)
                .containsEntry("last", 9L);
        assertThat((Double) result.get("stddev")).isCloseTo(Math.sqrt(32.0 / 7), within(1e-12));
    }

    @Test
    void firstAndLastBreakTiesByArrival() {
        TileAggregator ends = aggregator(
                Duration.ofHours(1),
                feature("first", FIRST, "x", Duration.ofHours(1)),
                feature("last", LAST, "x", Duration.ofHours(1)),
                feature("first_ever", FIRST, "x", null),
                feature("last_ever", LAST, "x", null));
        EntityState state = ends.newState();
        ends.add(state, T0 + 5, fields("x", "a"));
        ends.add(state, T0 + 5, fields("x", "b"));
        ends.add(state, T0 + 9, fields("x", "c"));
        ends.add(state, T0 + 9, fields("x", "d"));
        ends.add(state, T0 + 7, fields("x", "late"));

        assertThat(ends.evaluate(state, T0 + 9))
                .containsExactly(
                        entry("first", "a"), entry("last", "d"), entry("first_ever", "a"), entry("last_ever", "d"));
    }

    @Test
    void lifetimeFirstAndLastOutliveTheTiles() {
        TileAggregator ends = aggregator(
                Duration.ZERO,
                feature("c", COUNT, null, Duration.ofMinutes(5)),
                feature("first_ever", FIRST, "x", null),
                feature("last_ever", LAST, "x", null));
        EntityState state = ends.newState();
        ends.add(state, T0, fields("x", 1.5));
        ends.add(state, T0 + 1, fields("x", true));
        ends.add(state, T0 + 10 * HOUR, fields("x", null));

        assertThat(state.getTiles()).hasSize(1);
        assertThat(ends.evaluate(state, T0 + 100 * HOUR))
                .containsExactly(entry("c", 0L), entry("first_ever", 1.5), entry("last_ever", true));
    }

    @Test
    void tilesOlderThanTheRetentionAreDropped() {
        EntityState state = userTxn.newState();
        long retention = userTxn.plan().retentionMillis();
        for (long ts = T0; ts <= T0 + 3 * HOUR; ts += 30 * MINUTE) {
            userTxn.add(state, ts, fields("amount", 1L));
        }
        userTxn.add(state, T0 + retention + 31 * MINUTE, fields("amount", 1L));

        assertThat(state.getTiles()).extracting(Tile::getIndex).isSorted().allSatisfy(index -> assertThat(index)
                .isGreaterThanOrEqualTo(T0 / MINUTE + 31));
        assertThat(state.getTiles()).hasSize(6);
    }

    @Test
    void onlyTheNeededSlotsAreFilled() {
        TileAggregator sums = aggregator(Duration.ZERO, feature("s", SUM, "x", Duration.ofHours(1)));
        EntityState state = sums.newState();
        sums.add(state, T0, fields("x", 4L));
        sums.add(state, T0 + 1, fields("x", 6L));

        FieldAccumulator acc = state.getTiles().get(0).getFields().get(0);
        assertThat(acc).isEqualTo(new FieldAccumulator(2L, 0.0, 0.0, 10.0, null, null, null, null, null, null, null));
        assertThat(state.getLifetime()).containsExactly(Accumulators.empty());
    }

    @Test
    void otherNumberTypesAreNormalised() {
        TileAggregator ends = aggregator(
                Duration.ZERO,
                feature("sum", SUM, "x", Duration.ofHours(1)),
                feature("last", LAST, "x", Duration.ofHours(1)),
                feature("last_text", LAST, "s", null));
        EntityState state = ends.newState();
        ends.add(state, T0, fields("x", 3, "s", new Utf8("u")));
        assertThat(ends.evaluate(state, T0)).containsEntry("last", 3L).containsEntry("last_text", "u");
        ends.add(state, T0 + 1, fields("x", 0.5f));
        assertThat(ends.evaluate(state, T0 + 1)).containsEntry("sum", 3.5).containsEntry("last", 0.5);
    }

    @Test
    void copiesAreDeep() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", 1L, "merchant", "m1", "country", "FR"));
        EntityState copy = userTxn.copy(state);
        assertThat(copy).isEqualTo(state);

        userTxn.add(copy, T0 + 1, fields("amount", 2L, "merchant", "m2", "country", "DE"));
        copy.getTiles().get(0).getFields().get(1).getDistinct().put(0, (byte) 0);

        assertThat(userTxn.evaluate(state, T0 + 1))
                .containsEntry("txn_count_1h", 1L)
                .containsEntry("merchants_1d", 1L)
                .containsEntry("last_country", "FR");
    }

    @Test
    void statesSurviveAvroSerialisation() throws IOException {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, fields("amount", 1L, "merchant", "m1", "country", "FR"));
        userTxn.add(state, T0 + 2 * MINUTE, fields("amount", 2.5, "merchant", "m2", "country", "DE"));

        EntityState decoded = EntityState.fromByteBuffer(state.toByteBuffer());
        assertThat(decoded).isEqualTo(state);
        assertThat(userTxn.evaluate(decoded, T0 + HOUR)).isEqualTo(userTxn.evaluate(state, T0 + HOUR));

        Map<String, Object> next = fields("amount", 3L, "merchant", "m3", "country", "IT");
        userTxn.add(decoded, T0 + MINUTE, next);
        userTxn.add(state, T0 + MINUTE, next);
        userTxn.add(decoded, T0 + 3 * MINUTE, next);
        userTxn.add(state, T0 + 3 * MINUTE, next);
        assertThat(userTxn.evaluate(decoded, T0 + HOUR)).isEqualTo(userTxn.evaluate(state, T0 + HOUR));
        assertThat(EntityState.fromByteBuffer(decoded.toByteBuffer())).isEqualTo(state);
    }

    @Test
    void statesWithoutLifetimeAccumulatorsAreFilledIn() {
        EntityState state = userTxn.newState();
        state.setLifetime(new java.util.ArrayList<>());
        userTxn.add(state, T0, fields("country", "FR"));

        assertThat(state.getLifetime()).hasSize(3);
        assertThat(userTxn.evaluate(state, T0)).containsEntry("last_country", "FR");
    }

    @Test
    void statesOfAnotherLayoutAreRefused() {
        EntityState state = userTxn.newState();
        userTxn.add(state, T0, Map.of());
        state.getTiles().get(0).getFields().remove(0);

        assertThatThrownBy(() -> userTxn.add(state, T0, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[amount, merchant, country]");
    }

    @Test
    void theReservedTimestampIsRejected() {
        EntityState state = userTxn.newState();
        assertRejected(() -> userTxn.add(state, Long.MIN_VALUE, new HashMap<>()), Reason.BAD_TIMESTAMP);
        assertThat(state).isEqualTo(userTxn.newState());
    }

    private static TileAggregator aggregator(
            Duration allowedLateness, io.fathom.schemas.FeatureDefinition... features) {
        return new TileAggregator(ViewPlan.of(view(Duration.ofMinutes(1), allowedLateness, features)));
    }

    private static double sampleStddev(double... values) {
        double mean = Arrays.stream(values).average().orElseThrow();
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        return Math.sqrt(squares / (values.length - 1));
    }
}
