package io.fathom.online;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.online.internal.FeatureRequest;
import io.fathom.online.internal.FeatureRequest.ViewFeature;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
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
 * <p>One store round trip per view in the request. Thread-safe.
 */
public final class OnlineFeatureReader {
    private final FeatureDefinitions definitions;
    private final OnlineStore store;
    private final Clock clock;
    private final Map<String, TileAggregator> aggregators = new HashMap<>();

    public OnlineFeatureReader(FeatureDefinitions definitions, OnlineStore store, Clock clock) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (ViewDefinition view : definitions.views()) {
            aggregators.put(view.name(), new TileAggregator(ViewPlan.of(view)));
        }
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
        FeatureRequest request = FeatureRequest.parse(definitions, features, entities);
        long now = clock.millis();
        int rows = request.rows().size();
        int width = request.features().size();
        Object[][] values = new Object[rows][width];
        FeatureStatus[][] statuses = new FeatureStatus[rows][width];
        Long[][] eventTimes = new Long[rows][width];

        request.featuresByView().forEach((view, wanted) -> {
            List<StoredSnapshot> snapshots = store.read(view, request.entityKeys());
            TileAggregator aggregator = aggregators.get(view);
            long ttl = aggregator.plan().ttlMillis();
            for (int row = 0; row < rows; row++) {
                StoredSnapshot snapshot = snapshots.get(row);
                if (snapshot == null) {
                    fill(statuses[row], wanted, FeatureStatus.NOT_FOUND);
                    continue;
                }
                long eventTs = snapshot.eventTs();
                for (ViewFeature feature : wanted) {
                    eventTimes[row][feature.position()] = eventTs;
                }
                if (now - eventTs > ttl) {
                    fill(statuses[row], wanted, FeatureStatus.EXPIRED);
                    continue;
                }
                EntityState state = snapshot.decodeState();
                long at = Math.max(now, state.getLatestEventTs());
                Map<String, Object> evaluated = aggregator.evaluate(state, at);
                for (ViewFeature feature : wanted) {
                    values[row][feature.position()] = evaluated.get(feature.name());
                    statuses[row][feature.position()] = FeatureStatus.PRESENT;
                }
            }
        });

        List<EntityResult> results = new ArrayList<>(rows);
        for (int row = 0; row < rows; row++) {
            results.add(new EntityResult(
                    request.rows().get(row),
                    Arrays.asList(values[row]),
                    Arrays.asList(statuses[row]),
                    Arrays.asList(eventTimes[row])));
        }
        return new OnlineResult(request.features(), results, now);
    }

    private static void fill(FeatureStatus[] statuses, List<ViewFeature> features, FeatureStatus status) {
        for (ViewFeature feature : features) {
            statuses[feature.position()] = status;
        }
    }
}
