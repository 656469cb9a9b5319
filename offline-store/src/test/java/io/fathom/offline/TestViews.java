package io.fathom.offline;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import org.apache.avro.Schema;

/**
 * Definitions for the offline tests: a user view with every aggregation and short windows, and a view
 * of a composite key (user, merchant), both over one Avro-typed source; and a JSON source of clicks with a view.
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
        return Definitions.builder()
                .entity("user", "user_id")
                .entity("user_merchant", "user_id", "merchant")
                .source("payments", sourceTopic, EventFormat.AVRO, PAYMENT, "event_time")
                .view(userView("user_pay" + suffix, userTtl, userLateness))
                .view(pairView("pair_pay" + suffix))
                .build();
    }

    private static ViewDefinition userView(String name, Duration ttl, Duration lateness) {
        return Definitions.view(name)
                .source("payments")
                .ttl(ttl)
                .allowedLateness(lateness)
                .count("count_5m", Duration.ofMinutes(5))
                .feature("amount_sum_5m", Aggregation.SUM, "amount", Duration.ofMinutes(5))
                .feature("amount_mean_30m", Aggregation.MEAN, "amount", Duration.ofMinutes(30))
                .feature("amount_min_30m", Aggregation.MIN, "amount", Duration.ofMinutes(30))
                .feature("amount_max_5m", Aggregation.MAX, "amount", Duration.ofMinutes(5))
                .feature("amount_std_30m", Aggregation.STDDEV, "amount", Duration.ofMinutes(30))
                .feature("countries_30m", Aggregation.COUNT_DISTINCT, "country", Duration.ofMinutes(30))
                .last("last_country", "country")
                .feature("first_amount_10m", Aggregation.FIRST, "amount", Duration.ofMinutes(10))
                .build();
    }

    private static ViewDefinition pairView(String name) {
        return Definitions.view(name)
                .entity("user_merchant")
                .source("payments")
                .granularity(Duration.ofMinutes(2))
                .ttl(Duration.ofMinutes(10))
                .allowedLateness(Duration.ZERO)
                .count("count_10m", Duration.ofMinutes(10))
                .last("last_amount", "amount")
                .build();
    }

    /**
     * A JSON source of clicks (user_id, x, tag, ts) and a view of it, clicks_v: a sum, a stddev and distinct tags
     * over 1h, a count over 10m, the last tag; ttl 45m.
     */
    static FeatureDefinitions clicks() {
        return Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("clicks", "clicks-topic", "ts")
                .view(Definitions.view("clicks_v")
                        .source("clicks")
                        .feature("x_sum_1h", Aggregation.SUM, "x", Duration.ofHours(1))
                        .feature("x_std_1h", Aggregation.STDDEV, "x", Duration.ofHours(1))
                        .feature("tags_1h", Aggregation.COUNT_DISTINCT, "tag", Duration.ofHours(1))
                        .count("n_10m", Duration.ofMinutes(10))
                        .last("last_tag", "tag")
                        .ttl(Duration.ofMinutes(45)))
                .build();
    }
}
