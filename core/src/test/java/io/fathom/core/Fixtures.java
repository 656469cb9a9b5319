package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Builders and assertions shared by the core tests. */
final class Fixtures {
    private Fixtures() {}

    static ViewDefinition view(Duration granularity, Duration allowedLateness, FeatureDefinition... features) {
        return new ViewDefinition(
                "v", "user", "events", granularity, Duration.ofDays(7), allowedLateness, Arrays.asList(features));
    }

    static ViewDefinition view(Duration granularity, Duration allowedLateness, List<FeatureDefinition> features) {
        return new ViewDefinition("v", "user", "events", granularity, Duration.ofDays(7), allowedLateness, features);
    }

    static FeatureDefinition feature(String name, Aggregation aggregation, String field, Duration window) {
        return new FeatureDefinition(name, aggregation, Optional.ofNullable(field), Optional.ofNullable(window));
    }

    /** An event's fields from alternating names and values; values may be null. */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** Asserts that the call throws an {@link InvalidEventException} for the reason. */
    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(ThrowingCallable call, Reason reason) {
        return assertThatThrownBy(call)
                .isInstanceOf(InvalidEventException.class)
                .satisfies(e -> assertThat(((InvalidEventException) e).reason()).isEqualTo(reason));
    }
}
