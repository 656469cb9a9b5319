package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Builders and assertions shared by the core tests. */
final class Fixtures {
    private Fixtures() {}

    /** View {@code v} of {@code user} over {@code events}, ttl 7 days, with the granularity, lateness and features given. */
    static ViewDefinition view(Duration granularity, Duration allowedLateness, FeatureDefinition... features) {
        return view(granularity, allowedLateness, Arrays.asList(features));
    }

    static ViewDefinition view(Duration granularity, Duration allowedLateness, List<FeatureDefinition> features) {
        return Definitions.view("v")
                .source("events")
                .granularity(granularity)
                .allowedLateness(allowedLateness)
                .features(features)
                .build();
    }

    /** An event's fields from alternating names and values; values may be null. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /**
     * Asserts that evaluated values are the expected ones, feature by feature and in the same order: doubles to
     * 1e-9 relative, everything else exactly ({@link BruteForce#matchesExactly}).
     */
    static void assertMatches(Map<String, Object> actual, Map<String, Object> expected, Object context) {
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, want) -> assertThat(BruteForce.matchesExactly(want, actual.get(name)))
                .as("%s (%s): got %s, expected %s", name, context, actual.get(name), want)
                .isTrue());
    }

    /** Asserts that the call throws an {@link InvalidEventException} for the reason. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).reason()).isEqualTo(reason));
    }
}
