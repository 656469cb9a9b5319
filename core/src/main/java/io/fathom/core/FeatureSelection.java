package io.fathom.core;

import io.fathom.schemas.Aggregation;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Which features of a view an evaluation reads out, compiled once (per online request plan, say) from their
 * positions in {@link ViewPlan#featureNames()}: the features themselves, the longest window any of them has, the
 * fields the tile walk must merge and the fields whose distinct-count sketches it must union. {@link
 * TileAggregator#evaluateValues(io.fathom.schemas.avro.EntityState, long, FeatureSelection)} then walks the tiles
 * back to the start of that window only, merges only those fields and unions only those sketches, so a read of
 * {@code txn_count_1h} from a view that also has a {@code count_distinct} over 7 days pays for one hour of tiles
 * and no sketch. Immutable and thread-safe.
 */
public final class FeatureSelection {
    private final ViewPlan plan;
    private final boolean[] selected;
    private final int lastWindow;
    private final boolean[] mergedFields;
    private final boolean[] unionedFields;

    private FeatureSelection(ViewPlan plan, boolean[] selected) {
        this.plan = plan;
        this.selected = selected;
        List<FeatureSpec> features = plan.features();
        int fieldCount = plan.fields().size();
        this.mergedFields = new boolean[fieldCount];
        this.unionedFields = new boolean[fieldCount];
        int last = -1;
        for (int i = 0; i < selected.length; i++) {
            FeatureSpec spec = features.get(i);
            if (!selected[i] || !spec.windowed()) {
                continue;
            }
            last = Math.max(last, spec.window());
            if (spec.field() != FeatureSpec.NONE) {
                mergedFields[spec.field()] = true;
                unionedFields[spec.field()] |= spec.aggregation() == Aggregation.COUNT_DISTINCT;
            }
        }
        this.lastWindow = last;
    }

    /** Every feature of the view. */
    static FeatureSelection all(ViewPlan plan) {
        boolean[] selected = new boolean[plan.features().size()];
        Arrays.fill(selected, true);
        return new FeatureSelection(plan, selected);
    }

    /**
     * The features at these positions of {@link ViewPlan#featureNames()} (repeats allowed).
     *
     * @throws IllegalArgumentException for a position outside the view's features
     */
    static FeatureSelection of(ViewPlan plan, int... features) {
        Objects.requireNonNull(features, "features");
        boolean[] selected = new boolean[plan.features().size()];
        for (int feature : features) {
            if (feature < 0 || feature >= selected.length) {
                throw new IllegalArgumentException("view " + plan.view().name() + " has features 0 to "
                        + (selected.length - 1) + ", not " + feature);
            }
            selected[feature] = true;
        }
        return new FeatureSelection(plan, selected);
    }

    /** The plan whose features these are. */
    ViewPlan plan() {
        return plan;
    }

    boolean contains(int feature) {
        return selected[feature];
    }

    /** The index in {@link ViewPlan#windowsMillis()} of the longest window a selected feature has; -1 for none. */
    int lastWindow() {
        return lastWindow;
    }

    /** Whether a selected windowed feature reads field {@code field}'s merged accumulators. */
    boolean merges(int field) {
        return mergedFields[field];
    }

    /** Whether a selected {@code count_distinct} reads field {@code field}'s sketches. */
    boolean unions(int field) {
        return unionedFields[field];
    }
}
