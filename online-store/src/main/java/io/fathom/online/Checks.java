package io.fathom.online;

import java.time.Duration;
import java.util.Objects;

/** Validation shared by the module's config records. */
final class Checks {
    private Checks() {}

    /** {@code duration} is set and above zero, or an exception naming it and its value. */
    static void positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}
