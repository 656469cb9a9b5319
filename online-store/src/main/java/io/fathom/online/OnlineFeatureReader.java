package io.fathom.online;

import io.fathom.core.TileAggregator;
import io.fathom.online.internal.EntityRows;
import io.fathom.online.internal.ReadPlan;
import io.fathom.online.internal.ReadPlan.ViewRead;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.EntityState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads features for a batch of entities: the Java read API behind {@code POST /v1/features/online}.
 *
 * <p>For each entity row and requested feature it evaluates the feature's window <b>at read time</b> ({@code
 * now} from the clock) from the entity's stored tile state, with the same function ({@link
 * TileAggregator#evaluate}) that the point-in-time join uses at a row's timestamp: a 1-hour count reads 0 two
 * hours after the entity's last event. A snapshot whose last event is more than the view's ttl before {@code
 * now} reads as {@link FeatureStatus#EXPIRED} with null values, and an entity the store does not hold as
 * {@link FeatureStatus#NOT_FOUND} (a store may already have dropped an expired entity, so an entity past its
 * ttl reads as either). A snapshot whose event time is after {@code now} (the reader's clock behind the
 * producers') is evaluated at its own event time, the earliest time it can be evaluated at.
 *
 * <p>One store round trip per view in the request. The requested features are validated and compiled into a
 * plan once per distinct feature list (cached), and each entity's state is evaluated once per view into an
 * array that the plan picks values from by index; the answer's lists are those arrays, not copies. Thread-safe.
 */
public final class OnlineFeatureReader {
    private final OnlineStore store;
    private final Clock clock;
    private final ReadPlan.Cache plans;

    public OnlineFeatureReader(FeatureDefinitions definitions, OnlineStore store, Clock clock) {
        Objects.requireNonNull(definitions, "definitions");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.plans = new ReadPlan.Cache(new ReadPlan.Catalog(definitions));
    }

    /**
     * Reads the features for the entity rows.
     *
     * @param features {@code view:feature} names; every view must be of the same entity
     * @param entities the entity's key columns, each a list of values (integers or strings), one per row; a
     *     composite key gives several columns of equal length
     * @throws UnknownFeatureException for a view or feature the definitions do not declare
     * @throws BadRequestException for a malformed request (see {@link BadRequestException})
     * @throws OnlineStoreException if the store fails ({@link StoreUnavailableException} if it cannot be
     *     reached)
     */
    public OnlineResult read(List<String> features, Map<String, List<Object>> entities) {
        ReadPlan plan = plans.get(features);
        EntityRows rows = EntityRows.parse(plan.entity(), entities);
        long now = clock.millis();
        int count = rows.size();
        int width = plan.features().size();
        Object[][] values = new Object[count][width];
        FeatureStatus[][] statuses = new FeatureStatus[count][width];
        Long[][] eventTimes = new Long[count][width];

        for (ViewRead view : plan.views()) {
            List<StoredSnapshot> snapshots = store.read(view.name(), rows.keys());
            int[] positions = view.positions();
            int[] indexes = view.indexes();
            for (int row = 0; row < count; row++) {
                StoredSnapshot snapshot = snapshots.get(row);
                if (snapshot == null) {
                    fill(statuses[row], positions, FeatureStatus.NOT_FOUND);
                    continue;
                }
                long eventTs = snapshot.eventTs();
                Long boxedEventTs = eventTs;
                for (int position : positions) {
                    eventTimes[row][position] = boxedEventTs;
                }
                if (now - eventTs > view.ttlMillis()) {
                    fill(statuses[row], positions, FeatureStatus.EXPIRED);
                    continue;
                }
                EntityState state = snapshot.decodeState();
                long at = Math.max(now, state.getLatestEventTs());
                Object[] evaluated = view.aggregator().evaluateValues(state, at, view.selection());
                for (int i = 0; i < positions.length; i++) {
                    values[row][positions[i]] = evaluated[indexes[i]];
                }
                fill(statuses[row], positions, FeatureStatus.PRESENT);
            }
        }

        List<EntityResult> results = new ArrayList<>(count);
        for (int row = 0; row < count; row++) {
            results.add(new EntityResult(
                    new KeyRow(rows.columns(), rows.values().get(row)),
                    FrozenList.of(values[row]),
                    FrozenList.of(statuses[row]),
                    FrozenList.of(eventTimes[row])));
        }
        return new OnlineResult(plan.features(), results, now);
    }

    private static void fill(FeatureStatus[] statuses, int[] positions, FeatureStatus status) {
        for (int position : positions) {
            statuses[position] = status;
        }
    }
}
