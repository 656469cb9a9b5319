package io.fathom.online.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.online.BadRequestException;
import io.fathom.online.UnknownFeatureException;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadPlanTest {
    private static final FeatureDefinitions DEFINITIONS = Definitions.builder()
            .entity("user", "user_id")
            .transactions("transactions", EventFormat.JSON)
            .view(Definitions.view("a")
                    .entity("user")
                    .count("count_1h", Duration.ofHours(1))
                    .feature("sum_1h", Aggregation.SUM, "amount", Duration.ofHours(1))
                    .last("last_country", "country"))
            .view(Definitions.view("b").entity("user").count("count_1d", Duration.ofDays(1)))
            .build();

    private final ReadPlan.Catalog catalog = new ReadPlan.Catalog(DEFINITIONS);

    @Test
    void picksEachViewsValuesByIndexIntoRequestPositions() {
        ReadPlan plan = ReadPlan.compile(catalog, List.of("b:count_1d", "a:last_country", "a:count_1h"));

        assertThat(plan.entity().name()).isEqualTo("user");
        assertThat(plan.views()).extracting(ReadPlan.ViewRead::name).containsExactly("b", "a");
        ReadPlan.ViewRead b = plan.views().get(0);
        assertThat(b.positions()).containsExactly(0);
        assertThat(b.indexes()).containsExactly(0);
        ReadPlan.ViewRead a = plan.views().get(1);
        assertThat(a.positions()).containsExactly(1, 2);
        assertThat(a.indexes()).containsExactly(2, 0); // a's features: count_1h, sum_1h, last_country
        assertThat(a.aggregator().plan().featureNames()).containsExactly("count_1h", "sum_1h", "last_country");
        assertThat(a.ttlMillis()).isEqualTo(a.aggregator().plan().ttlMillis());
        assertThat(a.aggregator().evaluateValues(a.aggregator().newState(), 0, a.selection()))
                .as("only count_1h and last_country read out")
                .containsExactly(0L, null, null);
    }

    @Test
    void theCacheCompilesEachListOnceAndStartsOverWhenFull() {
        ReadPlan.Cache cache = new ReadPlan.Cache(catalog, 3);
        ReadPlan first = cache.get(new ArrayList<>(List.of("a:count_1h", "b:count_1d")));

        assertThat(cache.get(List.of("a:count_1h", "b:count_1d"))).isSameAs(first);
        ReadPlan reordered = cache.get(List.of("b:count_1d", "a:count_1h"));
        assertThat(reordered).isNotSameAs(first);
        assertThat(reordered.features()).containsExactly("b:count_1d", "a:count_1h");
        cache.get(List.of("a:sum_1h"));
        assertThat(cache.size()).isEqualTo(3);

        cache.get(List.of("a:last_country"));
        assertThat(cache.size()).as("full: started over with the new plan").isEqualTo(1);
        assertThat(cache.get(List.of("a:count_1h", "b:count_1d")))
                .isNotSameAs(first)
                .extracting(ReadPlan::features)
                .isEqualTo(first.features());
    }

    @Test
    void failuresAreNotCachedAndNameTheValue() {
        ReadPlan.Cache cache = new ReadPlan.Cache(catalog);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> cache.get(List.of("a:nope")))
                    .isInstanceOf(UnknownFeatureException.class)
                    .hasMessage("view a has no feature \"nope\" (in \"a:nope\")");
            assertThatThrownBy(() -> cache.get(List.of("c:count_1h")))
                    .isInstanceOf(UnknownFeatureException.class)
                    .hasMessage("unknown view \"c\" in feature \"c:count_1h\"");
            assertThatThrownBy(() -> cache.get(List.of()))
                    .isInstanceOf(BadRequestException.class)
                    .hasMessage("no features requested: give at least one \"view:feature\"");
            assertThatThrownBy(() -> cache.get(null)).isInstanceOf(BadRequestException.class);
        }
    }
}
