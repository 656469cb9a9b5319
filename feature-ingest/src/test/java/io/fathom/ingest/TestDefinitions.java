package io.fathom.ingest;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.Definitions;
import java.time.Duration;

/**
 * Small definitions for ingest tests: users ({@link Definitions#userTxn()}) and merchants from one
 * transactions source.
 */
final class TestDefinitions {
    static final String TOPIC = "transactions";

    private TestDefinitions() {}

    static FeatureDefinitions transactions(EventFormat format) {
        return transactions(format, Duration.ofMinutes(10), TOPIC);
    }

    /** As {@link #transactions(EventFormat)}, with the merchant view's allowed lateness and the source topic given. */
    static FeatureDefinitions transactions(EventFormat format, Duration merchantLateness, String topic) {
        return Definitions.builder()
                .entity("user", "user_id")
                .entity("merchant", "merchant_id")
                .transactions(topic, format)
                .view(Definitions.userTxn())
                .view(merchantView(merchantLateness))
                .build();
    }

    private static ViewDefinition merchantView(Duration allowedLateness) {
        return Definitions.view("merchant_txn")
                .entity("merchant")
                .granularity(Duration.ofMinutes(5))
                .allowedLateness(allowedLateness)
                .count("txn_count_1h", Duration.ofHours(1))
                .feature("amount_sum_1d", Aggregation.SUM, "amount", Duration.ofDays(1))
                .feature("amount_min_1d", Aggregation.MIN, "amount", Duration.ofDays(1))
                .feature("first_country_1d", Aggregation.FIRST, "country", Duration.ofDays(1))
                .build();
    }
}
