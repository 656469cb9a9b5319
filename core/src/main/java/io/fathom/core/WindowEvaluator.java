package io.fathom.core;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.datasketches.hll.Union;

/**
 * Evaluates every feature of a view at a time {@code t} in one pass over the tiles.
 *
 * <p>A feature with window {@code W} covers the tiles with index in {@code [floor((t - W) / g),
 * floor(t / g)]}. All windows end at the same tile, so the windows are nested: walking the tiles from
 * the newest backwards and merging each into running per-field accumulators, the running state is
 * exactly the merge of window {@code W} when the walk reaches the first tile below its start. Each
 * window is read out at that point, shortest first, so the cost is one merge per tile in the longest
 * window and per field, whatever the number of features. {@code count_distinct} merges the tiles'
 * HLL sketches into one union per field as it goes. Features without a window read the lifetime
 * accumulators. The values come back in an array in {@link ViewPlan#features()} order: a reader that
 * picks features by position (the online read path) needs no map per evaluation.
 *
 * <p>Only the features of a {@link FeatureSelection} are read out (the others stay null): the walk stops at the
 * start of the longest selected window, and fields no selected windowed feature reads are neither merged nor
 * unioned. The walk and the merge rule are the same whatever the selection, so a selected feature's value does
 * not depend on which others are selected.
 */
final class WindowEvaluator {
    private WindowEvaluator() {}

    static Object[] evaluate(ViewPlan plan, EntityState state, long t, FeatureSelection selection) {
        List<FeatureSpec> features = plan.features();
        List<FieldNeeds> needs = plan.needs();
        Object[] values = new Object[features.size()];

        long[] windows = plan.windowsMillis();
        int lastWindow = selection.lastWindow();
        if (lastWindow >= 0) {
            int fieldCount = plan.fields().size();
            Aggregate[] running = new Aggregate[fieldCount];
            boolean[] merged = new boolean[fieldCount];
            boolean[] unioned = new boolean[fieldCount];
            for (int i = 0; i < fieldCount; i++) {
                merged[i] = selection.merges(i);
                unioned[i] = selection.unions(i) && needs.get(i).distinct();
                running[i] = merged[i] ? new Aggregate() : null;
            }
            Union[] unions = new Union[fieldCount];
            long events = 0;

            long g = plan.granularityMillis();
            List<Tile> tiles = state.getTiles();
            long end = Math.floorDiv(t, g);
            int position = (end == Long.MAX_VALUE ? tiles.size() : Tiles.lowerBound(tiles, end + 1)) - 1;
            int[][] featuresByWindow = plan.featuresByWindow();
            for (int w = 0; w <= lastWindow; w++) {
                long start = Math.floorDiv(TimeMath.minus(t, windows[w]), g);
                for (; position >= 0 && tiles.get(position).getIndex() >= start; position--) {
                    Tile tile = tiles.get(position);
                    events += tile.getEvents();
                    List<FieldAccumulator> accumulators = tile.getFields();
                    for (int f = 0; f < fieldCount; f++) {
                        if (!merged[f]) {
                            continue;
                        }
                        FieldAccumulator acc = accumulators.get(f);
                        running[f].merge(acc, needs.get(f), false);
                        ByteBuffer sketch = acc.getDistinct();
                        if (sketch != null && unioned[f]) {
                            if (unions[f] == null) {
                                unions[f] = DistinctSketches.newUnion();
                            }
                            DistinctSketches.merge(unions[f], sketch);
                        }
                    }
                }
                for (int feature : featuresByWindow[w]) {
                    if (selection.contains(feature)) {
                        FeatureSpec spec = features.get(feature);
                        values[feature] =
                                windowed(spec, events, spec.field() < 0 ? null : running[spec.field()], unions);
                    }
                }
            }
        }

        List<FieldAccumulator> lifetime = state.getLifetime();
        for (int feature : plan.lifetimeFeatures()) {
            if (selection.contains(feature)) {
                FeatureSpec spec = features.get(feature);
                FieldAccumulator acc = spec.field() < lifetime.size() ? lifetime.get(spec.field()) : null;
                values[feature] = acc == null ? null : firstOrLast(spec, acc);
            }
        }
        return values;
    }

    private static Object windowed(FeatureSpec spec, long events, Aggregate acc, Union[] unions) {
        return switch (spec.aggregation()) {
            case COUNT -> events;
            case SUM -> acc.sum();
            case MEAN -> acc.mean();
            case MIN -> acc.min();
            case MAX -> acc.max();
            case STDDEV -> acc.stddev();
            case COUNT_DISTINCT -> acc.count() == 0
                    ? null
                    : unions[spec.field()] == null ? 0L : DistinctSketches.estimate(unions[spec.field()]);
            case FIRST -> acc.first();
            case LAST -> acc.last();
        };
    }

    private static Object firstOrLast(FeatureSpec spec, FieldAccumulator acc) {
        return switch (spec.aggregation()) {
            case FIRST -> Accumulators.value(acc.getFirst());
            case LAST -> Accumulators.value(acc.getLast());
            default -> throw new IllegalStateException("not first/last: " + spec);
        };
    }
}
