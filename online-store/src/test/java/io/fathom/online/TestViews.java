package io.fathom.online;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Definitions for the online-store tests: {@code user_txn} (by user, ttl 7 days), {@code merchant_txn} (by
 * merchant, 7 days), {@code pair_txn} (composite key user × country, ttl 2 hours), {@code short_txn} (by user,
 * ttl 2 s, for expiry in real time), all from one transactions source.
 */
final class TestViews {
    static final String USER = "user_txn";
    static final String MERCHANT = "merchant_txn";
    static final String PAIR = "pair_txn";
    static final String SHORT = "short_txn";
    static final Duration SHORT_TTL = Duration.ofSeconds(2);

    static final FeatureDefinitions DEFINITIONS = Definitions.builder()
            .entity("user", "user_id")
            .entity("merchant", "merchant_id")
            .entity("user_country", "user_id", "country")
            .transactions("transactions", EventFormat.JSON)
            .view(view(USER, "user", Duration.ofDays(7)))
            .view(view(MERCHANT, "merchant", Duration.ofDays(7)))
            .view(view(PAIR, "user_country", Duration.ofHours(2)))
            .view(view(SHORT, "user", SHORT_TTL))
            .build();

    static final Map<String, Duration> TTLS = OnlineStore.ttlByView(DEFINITIONS);

    private TestViews() {}

    private static Definitions.ViewBuilder view(String name, String entity, Duration ttl) {
        return Definitions.view(name)
                .entity(entity)
                .ttl(ttl)
                .count("txn_count_1h", Duration.ofHours(1))
                .feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1))
                .feature("amount_max_1d", Aggregation.MAX, "amount", Duration.ofDays(1))
                .last("last_country", "country");
    }

    static ViewDefinition view(String name) {
        return DEFINITIONS.view(name).orElseThrow();
    }

    static TileAggregator aggregator(String view) {
        return new TileAggregator(ViewPlan.of(view(view)));
    }

    /** A state holding {@code events} events of amount 1.0 in country FR, the last at {@code eventTs}. */
    static EntityState state(String view, long eventTs, int events) {
        TileAggregator aggregator = aggregator(view);
        EntityState state = aggregator.newState();
        for (int i = events - 1; i >= 0; i--) {
            aggregator.add(state, eventTs - i, event(1.0, "FR"));
        }
        return state;
    }

    static Map<String, Object> event(Double amount, String country) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("amount", amount);
        fields.put("country", country);
        return fields;
    }

    /**
     * What a store holds for {@code key} of {@code view}: a state of {@code events} events, the last at {@code
     * eventTs}, without a version (version 0).
     */
    static StoredSnapshot snapshot(String view, String key, long eventTs, long createdTs, int events) {
        return StoredSnapshot.of(view, key, eventTs, createdTs, state(view, eventTs, events));
    }

    /** As {@link #snapshot(String, String, long, long, int)}, at ingest's {@code version} of the entity. */
    static StoredSnapshot versioned(String view, String key, long version, long eventTs, long createdTs, int events) {
        return StoredSnapshot.of(view, key, eventTs, createdTs, state(view, eventTs, events), version);
    }

    /** How many events the stored state holds: what tells two states with equal times apart. */
    static long events(StoredSnapshot snapshot) {
        return snapshot.decodeState().getTiles().stream()
                .mapToLong(tile -> tile.getEvents())
                .sum();
    }

    static StoredSnapshot snapshot(String view, String key, long createdTs, EntityState state) {
        return StoredSnapshot.of(view, key, state.getLatestEventTs(), createdTs, state);
    }

    /**
     * The snapshot ingest would write to the topic of {@code view}, with its values evaluated at {@code eventTs}:
     * its version is the number of events, one update each.
     */
    static FeatureSnapshot featureSnapshot(String view, String key, long eventTs, long createdTs, int events) {
        EntityState state = state(view, eventTs, events);
        return new FeatureSnapshot(
                view, key, eventTs, createdTs, state, aggregator(view).evaluate(state, eventTs), (long) events);
    }
}
