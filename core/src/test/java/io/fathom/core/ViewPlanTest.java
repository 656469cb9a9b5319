package io.fathom.core;

import static io.fathom.core.Fixtures.view;
import static io.fathom.schemas.Aggregation.COUNT;
import static io.fathom.schemas.Aggregation.FIRST;
import static io.fathom.schemas.Aggregation.LAST;
import static io.fathom.schemas.Aggregation.SUM;
import static io.fathom.testkit.Definitions.feature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.Definitions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ViewPlanTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void compilesTheDesignExample() {
        ViewPlan plan = ViewPlan.of(Definitions.userTxn());

        assertThat(plan.view()).isEqualTo(Definitions.userTxn());
        assertThat(plan.fields()).containsExactly("amount", "merchant", "country");
        assertThat(plan.featureNames())
                .containsExactly(
                        "txn_count_1h",
                        "amount_sum_1h",
                        "amount_avg_1d",
                        "amount_max_1d",
                        "amount_std_1d",
                        "merchants_1d",
                        "last_country");
        assertThat(plan.granularityMillis()).isEqualTo(60_000L);
        assertThat(plan.ttlMillis()).isEqualTo(7 * 86_400_000L);
        assertThat(plan.allowedLatenessMillis()).isEqualTo(600_000L);
        assertThat(plan.retentionMillis()).isEqualTo(86_400_000L + 60_000L + 600_000L);
        assertThat(plan.windowsMillis()).containsExactly(3_600_000L, 86_400_000L);
    }

    @Test
    void needsOnlyTheSlotsItsFeaturesRead() {
        ViewPlan plan = ViewPlan.of(Definitions.userTxn());

        assertThat(plan.needs().get(0))
                .isEqualTo(new FieldNeeds(true, true, true, false, true, false, false, false, false, false));
        assertThat(plan.needs().get(1))
                .isEqualTo(new FieldNeeds(false, false, false, false, false, true, false, false, false, false));
        assertThat(plan.needs().get(2))
                .isEqualTo(new FieldNeeds(false, false, false, false, false, false, false, false, false, true));
    }

    @Test
    void windowedAndLifetimeFirstLastAreDistinct() {
        ViewPlan plan = ViewPlan.of(view(
                MINUTE, Duration.ZERO, feature("first_ever", FIRST, "x", null), feature("last_hour", LAST, "x", HOUR)));

        assertThat(plan.needs().get(0))
                .isEqualTo(new FieldNeeds(false, false, false, false, false, false, false, true, true, false));
        assertThat(plan.lifetimeFeatures()).containsExactly(0);
        assertThat(plan.featuresByWindow()).hasDimensions(1, 1);
        assertThat(plan.retentionMillis()).isEqualTo(HOUR.toMillis() + MINUTE.toMillis());
    }

    @Test
    void withoutWindowsTheRetentionIsGranularityPlusLateness() {
        ViewPlan plan = ViewPlan.of(view(MINUTE, Duration.ofSeconds(5), feature("l", LAST, "x", null)));

        assertThat(plan.retentionMillis()).isEqualTo(65_000L);
        assertThat(plan.windowsMillis()).isEmpty();
    }

    @Test
    void rejectsWhatCannotBeCompiled() {
        assertThatThrownBy(() -> ViewPlan.of(
                        view(MINUTE, Duration.ZERO, feature("a", COUNT, null, HOUR), feature("a", SUM, "x", HOUR))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature a is defined twice");
        assertThatThrownBy(
                        () -> ViewPlan.of(view(Duration.ofNanos(10), Duration.ZERO, feature("a", COUNT, null, HOUR))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("granularity");
        assertThatThrownBy(() -> ViewPlan.of(view(MINUTE, Duration.ofMillis(-1), feature("a", COUNT, null, HOUR))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> ViewPlan.of(
                        view(MINUTE, Duration.ZERO, feature("a", COUNT, null, Duration.ofSeconds(Long.MAX_VALUE)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
    }
}
