package io.fathom.benchmarks;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The view the online-read benchmark serves: 50 features over four event fields of a {@code user} entity,
 * granularity 1 minute, ttl 7 days — counts; sum, mean, min, max and stddev of {@code amount}; sum, mean and
 * max of {@code quantity} over 10m, 1h, 6h, 1d and 7d; distinct merchants over 1h, 1d and 7d; the last
 * merchant and country ever seen.
 *
 * <p>Entity states are built the way ingest builds them, by core's {@link TileAggregator}, from a few
 * events in the hours before {@code now}, so every entity reads as present with a handful of tiles.
 */
final class WideView {
    static final String VIEW = "wide_user";
    static final String KEY = "user_id";
    private static final List<Duration> WINDOWS = List.of(
            Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(7));
    private static final List<String> COUNTRIES = List.of("FR", "DE", "ES", "IT", "NL", "BE", "PL", "SE", "US", "GB");

    private final FeatureDefinitions definitions = build();
    private final TileAggregator aggregator =
            new TileAggregator(ViewPlan.of(definitions.views().get(0)));

    FeatureDefinitions definitions() {
        return definitions;
    }

    /** The 50 features as the read API names them, {@code view:feature}. */
    List<String> featureNames() {
        return definitions.views().get(0).features().stream()
                .map(f -> VIEW + ":" + f.name())
                .toList();
    }

    /** The snapshot of entity {@code id}: 3 to 10 events in the 6 hours before {@code now}, the last one within the last minutes. */
    StoredSnapshot snapshot(long id, long now, Random random) {
        EntityState state = aggregator.newState();
        int events = 3 + random.nextInt(8);
        long time = now - Duration.ofHours(6).toMillis() + random.nextInt(60_000);
        long step = (now - Duration.ofMinutes(5).toMillis() - time) / events;
        for (int i = 0; i < events; i++) {
            time += 1 + random.nextInt((int) Math.max(1, step));
            Map<String, Object> fields = new HashMap<>();
            fields.put("amount", Math.round(random.nextDouble() * 50_000) / 100.0);
            fields.put("quantity", (long) (1 + random.nextInt(5)));
            fields.put("merchant", "m" + random.nextInt(200));
            fields.put("country", COUNTRIES.get(random.nextInt(COUNTRIES.size())));
            aggregator.add(state, time, fields);
        }
        return StoredSnapshot.of(VIEW, Long.toString(id), state.getLatestEventTs(), now, state);
    }

    private static FeatureDefinitions build() {
        Definitions.ViewBuilder view = Definitions.view(VIEW).source("wide_events");
        for (Duration window : WINDOWS) {
            String suffix = suffix(window);
            view.count("count_" + suffix, window);
            for (Aggregation aggregation :
                    List.of(Aggregation.SUM, Aggregation.MEAN, Aggregation.MIN, Aggregation.MAX, Aggregation.STDDEV)) {
                view.feature("amount_" + aggregation.yamlName() + "_" + suffix, aggregation, "amount", window);
            }
            for (Aggregation aggregation : List.of(Aggregation.SUM, Aggregation.MEAN, Aggregation.MAX)) {
                view.feature("quantity_" + aggregation.yamlName() + "_" + suffix, aggregation, "quantity", window);
            }
        }
        for (Duration window : WINDOWS.subList(1, WINDOWS.size())) {
            if (!window.equals(Duration.ofHours(6))) {
                view.feature("merchants_" + suffix(window), Aggregation.COUNT_DISTINCT, "merchant", window);
            }
        }
        view.last("last_merchant", "merchant").last("last_country", "country");
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", KEY)
                .jsonSource("wide_events", "wide-events", "ts")
                .view(view)
                .build();
        int features = definitions.views().get(0).features().size();
        if (features != 50) {
            throw new IllegalStateException("the wide view should have 50 features, has " + features);
        }
        return definitions;
    }

    private static String suffix(Duration window) {
        return window.toDays() > 0
                ? window.toDays() + "d"
                : window.toHours() > 0 ? window.toHours() + "h" : window.toMinutes() + "m";
    }
}
