package io.fathom.core;

import io.fathom.schemas.Aggregation;

/**
 * Which accumulator slots one event field needs in a view, so that a tile only fills (and a snapshot
 * only carries) what some feature reads. {@code count} is always kept: it says whether a field had
 * any value.
 */
record FieldNeeds(
        boolean numeric,
        boolean moments,
        boolean sum,
        boolean min,
        boolean max,
        boolean distinct,
        boolean first,
        boolean last,
        boolean lifetimeFirst,
        boolean lifetimeLast) {

    static final FieldNeeds NONE = new FieldNeeds(false, false, false, false, false, false, false, false, false, false);

    /** These needs plus those of one more feature on the field. */
    FieldNeeds with(Aggregation aggregation, boolean windowed) {
        return new FieldNeeds(
                numeric || aggregation.numeric(),
                moments || aggregation == Aggregation.MEAN || aggregation == Aggregation.STDDEV,
                sum || aggregation == Aggregation.SUM,
                min || aggregation == Aggregation.MIN,
                max || aggregation == Aggregation.MAX,
                distinct || aggregation == Aggregation.COUNT_DISTINCT,
                first || (windowed && aggregation == Aggregation.FIRST),
                last || (windowed && aggregation == Aggregation.LAST),
                lifetimeFirst || (!windowed && aggregation == Aggregation.FIRST),
                lifetimeLast || (!windowed && aggregation == Aggregation.LAST));
    }

    /** Whether the lifetime accumulator of this field is used at all. */
    boolean lifetime() {
        return lifetimeFirst || lifetimeLast;
    }
}
