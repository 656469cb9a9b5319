package io.fathom.offline;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Definitions for the offline tests: a user view with every aggregation and short windows, and a view
 * of a composite key (user, merchant), both over one Avro-typed source.
 */
final class TestViews {
    static final String TOPIC = "payments";
    static final Schema PAYMENT = new Schema.Parser()
            .parse(
                    """
            {"type": "record", "name": "Payment", "namespace": "io.fathom.test", "fields": [
              {"name": "user_id", "type": "long"},
              {"name": "merchant", "type": "string"},
              {"name": "amount", "type": ["null", "double"], "default": null},
              {"name": "country", "type": "string"},
              {"name": "event_time", "type": "long"}]}
            """);

    private TestViews() {}

    static FeatureDefinitions definitions() {
        return definitions(Duration.ofMinutes(20), Duration.ofMinutes(3));
    }

    static FeatureDefinitions definitions(Duration userTtl, Duration userLateness) {
        return definitions("", TOPIC, userTtl, userLateness);
    }

    /**
     * The same views with a suffix on their names (so on their snapshot topics: tests share one broker),
     * over a source topic of the test's own.
     */
    static FeatureDefinitions definitions(String suffix, String sourceTopic, Duration userTtl, Duration userLateness) {
        return new FeatureDefinitions(
                List.of(
                        new EntityDefinition("user", List.of("user_id")),
                        new EntityDefinition("user_merchant", List.of("user_id", "merchant"))),
                List.of(new SourceDefinition(
                        "payments", sourceTopic, EventFormat.AVRO, Optional.of(PAYMENT), "event_time")),
                List.of(userView("user_pay" + suffix, userTtl, userLateness), pairView("pair_pay" + suffix)),
                List.of());
    }

    static ViewDefinition userView(String name, Duration ttl, Duration lateness) {
        return new ViewDefinition(
                name,
                "user",
                "payments",
                Duration.ofMinutes(1),
                ttl,
                lateness,
                List.of(
                        feature("count_5m", Aggregation.COUNT, null, Duration.ofMinutes(5)),
                        feature("amount_sum_5m", Aggregation.SUM, "amount", Duration.ofMinutes(5)),
                        feature("amount_mean_30m", Aggregation.MEAN, "amount", Duration.ofMinutes(30)),
                        feature("amount_min_30m", Aggregation.MIN, "amount", Duration.ofMinutes(30)),
                        feature("amount_max_5m", Aggregation.MAX, "amount", Duration.ofMinutes(5)),
                        feature("amount_std_30m", Aggregation.STDDEV, "amount", Duration.ofMinutes(30)),
                        feature("countries_30m", Aggregation.COUNT_DISTINCT, "country", Duration.ofMinutes(30)),
                        feature("last_country", Aggregation.LAST, "country", null),
                        feature("first_amount_10m", Aggregation.FIRST, "amount", Duration.ofMinutes(10))));
    }

    static ViewDefinition pairView(String name) {
        return new ViewDefinition(
                name,
                "user_merchant",
                "payments",
                Duration.ofMinutes(2),
                Duration.ofMinutes(10),
                Duration.ZERO,
                List.of(
                        feature("count_10m", Aggregation.COUNT, null, Duration.ofMinutes(10)),
                        feature("last_amount", Aggregation.LAST, "amount", null)));
    }

    static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }
}
