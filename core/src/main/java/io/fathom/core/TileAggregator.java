package io.fathom.core;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The aggregation semantics of one view, as pure functions over an entity's {@link EntityState}
 * (which {@link #add} and pruning mutate in place). Stateless and thread-safe.
 *
 * <p>Events go into tiles of the view's granularity {@code g}: event time {@code ts} goes to tile
 * {@code floor(ts / g)}, which holds partial aggregates per field. A windowed feature with window
 * {@code W} evaluated at {@code t} merges the tiles with index in {@code [floor((t - W) / g), floor(t
 * / g)]}, i.e. the events with time in {@code [t - W} rounded down to a multiple of {@code g}{@code ,
 * t]}; {@link #evaluate} requires {@code t >= latest_event_ts}, so nothing after {@code t} is ever
 * counted. Features without a window ({@code first}/{@code last}) read lifetime accumulators. The
 * algorithms are in {@code Accumulators}, {@code DistinctSketches} and {@code WindowEvaluator}.
 */
public final class TileAggregator {
    private final ViewPlan plan;
    private final FeatureSelection all;

    public TileAggregator(ViewPlan plan) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.all = FeatureSelection.all(plan);
    }

    public ViewPlan plan() {
        return plan;
    }

    /** An empty state: {@code latest_event_ts = Long.MIN_VALUE}, no tiles, one lifetime accumulator per field. */
    public EntityState newState() {
        int fieldCount = plan.fields().size();
        List<FieldAccumulator> lifetime = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            lifetime.add(Accumulators.empty());
        }
        return new EntityState(Long.MIN_VALUE, new ArrayList<>(), lifetime);
    }

    /**
     * Adds one event to the state, judged against the entity's own events alone: as {@link #add(EntityState,
     * long, Map, long)} with the watermark of a stream that holds only them, {@code max(latest_event_ts,
     * eventTs)}. So an event more than the allowed lateness behind the entity's latest event is {@code LATE}, and
     * tiles older than the retention behind the latest event are dropped. For a state built from one entity's
     * events (tests, tools); ingest judges events against its view's watermark.
     */
    public void add(EntityState state, long eventTs, Map<String, Object> fields) {
        Objects.requireNonNull(state, "state");
        add(state, eventTs, fields, Math.max(state.getLatestEventTs(), eventTs));
    }

    /**
     * Adds one event to the state, judged against the view's watermark (docs/semantics.md, "Late events"). Everything
     * is checked before the state is touched, so a rejected event leaves it unchanged. Then {@code
     * latest_event_ts} becomes {@code max(latest, eventTs)}, and tiles older than the retention behind the
     * watermark are dropped: tiles with index {@code < floor((watermark - retention) / g)}, where the retention is
     * the longest window + {@code g} + the allowed lateness. An accepted event is at most the allowed lateness
     * behind the watermark, so after it {@code latest_event_ts} is too, and no evaluation at {@code t >=
     * latest_event_ts} and no event the watermark still accepts can need a dropped tile.
     *
     * @param fields event field name to value, normalised to {@code Long}, {@code Double}, {@code String},
     *     {@code Boolean} or null (missing is null, and null values are ignored by field aggregations)
     * @param watermark the view's watermark, which never goes back from one call to the next for a state, or
     *     {@link Long#MIN_VALUE} for none yet (nothing is late, nothing dropped)
     * @throws InvalidEventException {@code LATE} when {@code eventTs < watermark - allowedLateness};
     *     {@code WRONG_TYPE} when a field of a numeric aggregation holds no finite number, or a field
     *     holds something other than a number, string or boolean; {@code BAD_TIMESTAMP} for {@code
     *     eventTs == Long.MIN_VALUE}, which means "no event"
     * @throws IllegalArgumentException when the state does not have this view's layout
     */
    public void add(EntityState state, long eventTs, Map<String, Object> fields, long watermark) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(fields, "fields");
        if (eventTs == Long.MIN_VALUE) {
            throw new InvalidEventException(Reason.BAD_TIMESTAMP, "bad timestamp " + eventTs + ": reserved");
        }
        long oldestAccepted = TimeMath.minus(watermark, plan.allowedLatenessMillis());
        if (eventTs < oldestAccepted) {
            throw new InvalidEventException(
                    Reason.LATE,
                    "view " + plan.view().name() + ": event at " + eventTs + " is " + (watermark - eventTs)
                            + "ms behind the watermark at " + watermark + ", allowed lateness is "
                            + plan.allowedLatenessMillis() + "ms");
        }
        Object[] values = EventValues.read(plan, fields);
        int fieldCount = values.length;
        List<FieldNeeds> needs = plan.needs();
        long g = plan.granularityMillis();
        List<Tile> tiles = state.getTiles();
        long index = Math.floorDiv(eventTs, g);
        int position = Tiles.search(tiles, index);
        if (position >= 0 && tiles.get(position).getFields().size() != fieldCount) {
            throw layoutMismatch(
                    "tile " + index + " has " + tiles.get(position).getFields().size() + " field accumulators");
        }
        List<FieldAccumulator> lifetime = state.getLifetime();
        if (lifetime.size() != fieldCount && !lifetime.isEmpty()) {
            throw layoutMismatch("it has " + lifetime.size() + " lifetime accumulators");
        }

        if (lifetime.isEmpty() && fieldCount > 0) {
            // Avro's default for states written before lifetime accumulators existed.
            lifetime = new ArrayList<>(fieldCount);
            for (int i = 0; i < fieldCount; i++) {
                lifetime.add(Accumulators.empty());
            }
            state.setLifetime(lifetime);
        }
        Tile tile = position >= 0 ? tiles.get(position) : Tiles.insert(tiles, -position - 1, index, fieldCount);
        tile.setEvents(tile.getEvents() + 1);
        List<FieldAccumulator> accumulators = tile.getFields();
        for (int i = 0; i < fieldCount; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            FieldNeeds need = needs.get(i);
            Accumulators.add(accumulators.get(i), need, eventTs, value, need.numeric() ? EventValues.number(value) : 0);
            if (need.lifetime()) {
                Accumulators.addLifetime(lifetime.get(i), need, eventTs, value);
            }
        }
        if (eventTs > state.getLatestEventTs()) {
            state.setLatestEventTs(eventTs);
        }
        Tiles.dropBefore(tiles, Math.floorDiv(TimeMath.minus(watermark, plan.retentionMillis()), g));
    }

    /**
     * The feature values at time {@code t}, by feature name in {@link ViewPlan#featureNames()} order:
     * {@code Long} for count and count_distinct, {@code Double} for sum, mean, min, max and stddev, the
     * value's own type for first and last, or null. Over a window without events count is {@code 0L} and
     * sum {@code 0.0}; every other aggregation without values is null, stddev below two values too.
     * Does not modify the state.
     *
     * @throws IllegalArgumentException when {@code t < latest_event_ts}: the state may hold events after
     *     {@code t}, which must never be counted
     */
    public Map<String, Object> evaluate(EntityState state, long t) {
        Object[] values = evaluateValues(state, t);
        List<String> names = plan.featureNames();
        Map<String, Object> result = new LinkedHashMap<>(values.length * 2);
        for (int i = 0; i < values.length; i++) {
            result.put(names.get(i), values[i]);
        }
        return result;
    }

    /**
     * The feature values at time {@code t} as {@link #evaluate} gives them, in an array of its own in {@link
     * ViewPlan#featureNames()} order: value {@code i} is feature {@code featureNames().get(i)}'s. For readers that
     * pick features by position and want no map per evaluation (the online read path).
     *
     * @throws IllegalArgumentException when {@code t < latest_event_ts}, as {@link #evaluate}
     */
    public Object[] evaluateValues(EntityState state, long t) {
        return evaluateValues(state, t, all);
    }

    /**
     * The features of {@code selection} at time {@code t}, as {@link #evaluateValues(EntityState, long)} gives them
     * (same values, same positions); the positions of the features not selected hold null. Walks the tiles back to
     * the start of the longest selected window only, and merges and unions only the fields the selected features
     * read (see {@link FeatureSelection}).
     *
     * @throws IllegalArgumentException when {@code t < latest_event_ts}, as {@link #evaluate}; for a selection of
     *     another view
     */
    public Object[] evaluateValues(EntityState state, long t, FeatureSelection selection) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(selection, "selection");
        if (selection.plan() != plan && !selection.plan().view().equals(plan.view())) {
            throw new IllegalArgumentException(
                    "a selection of view " + selection.plan().view().name() + " cannot evaluate view "
                            + plan.view().name() + ": make it with this aggregator's select");
        }
        if (t < state.getLatestEventTs()) {
            throw new IllegalArgumentException("view " + plan.view().name() + ": cannot evaluate at " + t
                    + ", before the latest event of the state at " + state.getLatestEventTs()
                    + " (the state may hold events after " + t + ")");
        }
        return WindowEvaluator.evaluate(plan, state, t, selection);
    }

    /**
     * The selection of the features at these positions of {@link ViewPlan#featureNames()}, for {@link
     * #evaluateValues(EntityState, long, FeatureSelection)}: compile it once and reuse it.
     *
     * @throws IllegalArgumentException for a position outside the view's features
     */
    public FeatureSelection select(int... features) {
        return FeatureSelection.of(plan, features);
    }

    /** A deep copy of the state, sharing nothing mutable with it. */
    public EntityState copy(EntityState state) {
        Objects.requireNonNull(state, "state");
        List<Tile> tiles = new ArrayList<>(state.getTiles().size());
        for (Tile tile : state.getTiles()) {
            tiles.add(new Tile(tile.getIndex(), tile.getEvents(), copy(tile.getFields())));
        }
        return new EntityState(state.getLatestEventTs(), tiles, copy(state.getLifetime()));
    }

    private static List<FieldAccumulator> copy(List<FieldAccumulator> accumulators) {
        List<FieldAccumulator> copies = new ArrayList<>(accumulators.size());
        for (FieldAccumulator acc : accumulators) {
            copies.add(new FieldAccumulator(
                    acc.getCount(),
                    acc.getMean(),
                    acc.getM2(),
                    acc.getSum(),
                    acc.getMin(),
                    acc.getMax(),
                    acc.getFirstTs(),
                    Accumulators.value(acc.getFirst()),
                    acc.getLastTs(),
                    Accumulators.value(acc.getLast()),
                    copy(acc.getDistinct())));
        }
        return copies;
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        if (bytes == null) {
            return null;
        }
        byte[] copy = new byte[bytes.remaining()];
        bytes.duplicate().get(copy);
        return ByteBuffer.wrap(copy);
    }

    private IllegalArgumentException layoutMismatch(String what) {
        return new IllegalArgumentException("view " + plan.view().name() + ": the state does not match the view's "
                + plan.fields().size() + " fields " + plan.fields() + ": " + what);
    }
}
