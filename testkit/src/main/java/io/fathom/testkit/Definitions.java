package io.fathom.testkit;

import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * Feature definitions for tests and benchmarks, written in code the way the YAML reads, without the
 * parser and without a file:
 *
 * <pre>{@code
 * FeatureDefinitions definitions = Definitions.builder()
 *         .entity("user", "user_id")
 *         .transactions("transactions", EventFormat.JSON)
 *         .view(Definitions.view("user_txn")
 *                 .count("txn_count_1h", Duration.ofHours(1))
 *                 .feature("amount_sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1))
 *                 .last("last_country", "country"))
 *         .build();
 * }</pre>
 *
 * <p>A view starts from the settings most tests use (entity {@code user}, source {@code transactions},
 * granularity 1 minute, ttl 7 days, allowed lateness 10 minutes); a test states the ones it changes.
 * Nothing here checks cross-references the way {@code DefinitionsParser} does: a test may build
 * definitions the parser would refuse.
 */
public final class Definitions {
    /** The name of the source {@link Builder#transactions} declares, and the default source of a view. */
    public static final String TRANSACTIONS = "transactions";

    /** The transactions source's Avro schema: the fields of the example definitions' transactions, amount nullable. */
    public static final Schema TRANSACTION = new Schema.Parser()
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

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration DAY = Duration.ofDays(1);

    private Definitions() {}

    /** Empty definitions, to add entities, sources, views and monitors to. */
    public static Builder builder() {
        return new Builder();
    }

    /** A view named {@code name} with the default settings and no features yet. */
    public static ViewBuilder view(String name) {
        return new ViewBuilder(name);
    }

    /**
     * The {@code user_txn} view of {@code examples/definitions/fathom.yaml}: seven features of a user's
     * transactions, over 1 hour and 1 day windows, with the default settings.
     */
    public static ViewDefinition userTxn() {
        return view("user_txn")
                .count("txn_count_1h", HOUR)
                .feature("amount_sum_1h", Aggregation.SUM, "amount", HOUR)
                .feature("amount_avg_1d", Aggregation.MEAN, "amount", DAY)
                .feature("amount_max_1d", Aggregation.MAX, "amount", DAY)
                .feature("amount_std_1d", Aggregation.STDDEV, "amount", DAY)
                .feature("merchants_1d", Aggregation.COUNT_DISTINCT, "merchant", DAY)
                .last("last_country", "country")
                .build();
    }

    /** A feature; {@code field} is null for {@code count}, {@code window} null for a {@code first} or {@code last} without one. */
    public static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }

    /** Entities, sources, views and monitors, in the order they are added. */
    public static final class Builder {
        private final List<EntityDefinition> entities = new ArrayList<>();
        private final List<SourceDefinition> sources = new ArrayList<>();
        private final List<ViewDefinition> views = new ArrayList<>();
        private final List<MonitorDefinition> monitors = new ArrayList<>();

        private Builder() {}

        /** An entity and its key columns, in order. */
        public Builder entity(String name, String... keys) {
            entities.add(new EntityDefinition(name, Arrays.asList(keys)));
            return this;
        }

        /** A source; {@code schema} is null for one without (JSON). */
        public Builder source(String name, String topic, EventFormat format, Schema schema, String timestampField) {
            sources.add(new SourceDefinition(name, topic, format, Optional.ofNullable(schema), timestampField));
            return this;
        }

        /** A JSON source, without schema. */
        public Builder jsonSource(String name, String topic, String timestampField) {
            return source(name, topic, EventFormat.JSON, null, timestampField);
        }

        /**
         * The {@value Definitions#TRANSACTIONS} source on {@code topic}, event time in {@code event_time}; in any format
         * but JSON its schema is {@link #TRANSACTION}.
         */
        public Builder transactions(String topic, EventFormat format) {
            return source(TRANSACTIONS, topic, format, format == EventFormat.JSON ? null : TRANSACTION, "event_time");
        }

        public Builder view(ViewDefinition view) {
            views.add(Objects.requireNonNull(view, "view"));
            return this;
        }

        public Builder view(ViewBuilder view) {
            return view(view.build());
        }

        public Builder monitors(MonitorDefinition... monitors) {
            this.monitors.addAll(Arrays.asList(monitors));
            return this;
        }

        public FeatureDefinitions build() {
            return new FeatureDefinitions(entities, sources, views, monitors);
        }
    }

    /** A view's settings and features; {@link #build()} validates them as {@link ViewDefinition} does. */
    public static final class ViewBuilder {
        private final String name;
        private String entity = "user";
        private String source = TRANSACTIONS;
        private Duration granularity = Duration.ofMinutes(1);
        private Duration ttl = Duration.ofDays(7);
        private Duration allowedLateness = Duration.ofMinutes(10);
        private final List<FeatureDefinition> features = new ArrayList<>();

        private ViewBuilder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        public ViewBuilder entity(String entity) {
            this.entity = entity;
            return this;
        }

        public ViewBuilder source(String source) {
            this.source = source;
            return this;
        }

        public ViewBuilder granularity(Duration granularity) {
            this.granularity = granularity;
            return this;
        }

        public ViewBuilder ttl(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        public ViewBuilder allowedLateness(Duration allowedLateness) {
            this.allowedLateness = allowedLateness;
            return this;
        }

        /** A {@code count} of the events in {@code window}. */
        public ViewBuilder count(String name, Duration window) {
            return feature(name, Aggregation.COUNT, null, window);
        }

        /** A {@code last} without a window: the latest value of {@code field} ever seen. */
        public ViewBuilder last(String name, String field) {
            return feature(name, Aggregation.LAST, field, null);
        }

        /** A feature, as {@link Definitions#feature} builds it. */
        public ViewBuilder feature(String name, Aggregation aggregation, String field, Duration window) {
            return features(List.of(Definitions.feature(name, aggregation, field, window)));
        }

        public ViewBuilder features(List<FeatureDefinition> features) {
            this.features.addAll(features);
            return this;
        }

        public ViewDefinition build() {
            return new ViewDefinition(name, entity, source, granularity, ttl, allowedLateness, features);
        }
    }
}
