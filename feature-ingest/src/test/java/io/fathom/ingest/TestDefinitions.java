package io.fathom.ingest;

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

/** Small definitions for ingest tests: users and merchants from one transactions source. */
final class TestDefinitions {
    static final String TOPIC = "transactions";

    static final Schema TRANSACTION = new Schema.Parser()
            .parse(
                    """
            {"type": "record", "name": "Transaction", "namespace": "io.fathom.test", "fields": [
              {"name": "user_id", "type": "long"},
              {"name": "merchant_id", "type": "long"},
              {"name": "merchant", "type": "string"},
              {"name": "amount", "type": ["null", "double"], "default": null},
              {"name": "country", "type": "string"},
              {"name": "event_time", "type": "long"}]}
            """);

    private TestDefinitions() {}

    static FeatureDefinitions transactions(EventFormat format) {
        return transactions(format, Duration.ofMinutes(10));
    }

    /** As {@link #transactions(EventFormat)}, with the merchant view's allowed lateness given. */
    static FeatureDefinitions transactions(EventFormat format, Duration merchantLateness) {
        Optional<Schema> schema = format == EventFormat.JSON ? Optional.empty() : Optional.of(TRANSACTION);
        return new FeatureDefinitions(
                List.of(
                        new EntityDefinition("user", List.of("user_id")),
                        new EntityDefinition("merchant", List.of("merchant_id"))),
                List.of(new SourceDefinition("transactions", TOPIC, format, schema, "event_time")),
                List.of(userView(), merchantView(merchantLateness)),
                List.of());
    }

    static ViewDefinition userView() {
        return new ViewDefinition(
                "user_txn",
                "user",
                "transactions",
                Duration.ofMinutes(1),
                Duration.ofDays(7),
                Duration.ofMinutes(10),
                List.of(
                        feature("txn_count_1h", Aggregation.COUNT, null, Duration.ofHours(1)),
                        feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1)),
                        feature("amount_avg_1d", Aggregation.MEAN, "amount", Duration.ofDays(1)),
                        feature("amount_max_1d", Aggregation.MAX, "amount", Duration.ofDays(1)),
                        feature("amount_std_1d", Aggregation.STDDEV, "amount", Duration.ofDays(1)),
                        feature("merchants_1d", Aggregation.COUNT_DISTINCT, "merchant", Duration.ofDays(1)),
                        feature("last_country", Aggregation.LAST, "country", null)));
    }

    static ViewDefinition merchantView(Duration allowedLateness) {
        return new ViewDefinition(
                "merchant_txn",
                "merchant",
                "transactions",
                Duration.ofMinutes(5),
                Duration.ofDays(7),
                allowedLateness,
                List.of(
                        feature("txn_count_1h", Aggregation.COUNT, null, Duration.ofHours(1)),
                        feature("amount_sum_1d", Aggregation.SUM, "amount", Duration.ofDays(1)),
                        feature("amount_min_1d", Aggregation.MIN, "amount", Duration.ofDays(1)),
                        feature("first_country_1d", Aggregation.FIRST, "country", Duration.ofDays(1))));
    }

    private static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }
}
