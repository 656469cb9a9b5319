package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fathom.offline.internal.EventSchema;
import io.fathom.offline.internal.WriterLoop;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** What the offline writer writes: its views' snapshot topics, then their sources' topics, and what it refuses. */
class OfflineWriterTargetsTest {
    @Test
    void theViewsSnapshotTopicsThenTheirSourcesTopicsEachSourceOnce() {
        FeatureDefinitions definitions = TestViews.definitions();

        assertThat(OfflineWriter.targets(definitions, List.of()))
                .extracting(WriterLoop.Target::topic, WriterLoop.Target::dataset)
                .containsExactly(
                        tuple("fathom.snapshots.user_pay", "user_pay"),
                        tuple("fathom.snapshots.pair_pay", "pair_pay"),
                        tuple(TestViews.TOPIC, "_events/payments"));
        assertThat(OfflineWriter.targets(definitions, List.of("pair_pay")))
                .extracting(WriterLoop.Target::topic)
                .containsExactly("fathom.snapshots.pair_pay", TestViews.TOPIC);
    }

    @Test
    void aViewNamedLikeTheEventHistorysDirectoryIsRefused() {
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("clicks", "clicks", "ts")
                .view(countOf("_events", "clicks"))
                .build();

        assertRefused(definitions)
                .hasMessage("view _events: the offline store keeps the event history in a directory of that name;"
                        + " rename the view");
    }

    @Test
    void twoArchivedSourcesOnOneTopicAreRefused() {
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .jsonSource("clicks", "events", "ts")
                .jsonSource("views", "events", "ts")
                .view(countOf("user_clicks", "clicks"))
                .view(countOf("user_views", "views"))
                .build();

        assertRefused(definitions)
                .hasMessage("sources clicks and views both read topic events;"
                        + " the event history archives a topic once, under one source");
        assertThat(OfflineWriter.targets(definitions, List.of("user_views")))
                .extracting(WriterLoop.Target::dataset)
                .containsExactly("user_views", "_events/views");
    }

    @Test
    void anAvroFieldNamedLikeAFixedEventColumnIsRefused() {
        Schema schema = SchemaBuilder.record("Click")
                .fields()
                .requiredLong("user_id")
                .requiredLong(EventSchema.EVENT_TS)
                .requiredLong("ts")
                .endRecord();
        FeatureDefinitions definitions = Definitions.builder()
                .entity("user", "user_id")
                .source("clicks", "clicks", EventFormat.AVRO, schema, "ts")
                .view(countOf("user_clicks", "clicks"))
                .build();

        assertRefused(definitions)
                .hasMessageStartingWith(
                        "source clicks: field _event_ts has the name of a fixed column of the event" + " history");
    }

    private static Definitions.ViewBuilder countOf(String view, String source) {
        return Definitions.view(view).source(source).count("n", Duration.ofMinutes(5));
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(FeatureDefinitions definitions) {
        return assertThatThrownBy(() -> OfflineWriter.targets(definitions, List.of()))
                .isInstanceOf(OfflineException.class);
    }
}
