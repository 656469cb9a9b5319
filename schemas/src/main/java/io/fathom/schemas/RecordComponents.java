package io.fathom.schemas;

import java.lang.reflect.RecordComponent;

/** Checks of a record's components, for compact constructors. */
public final class RecordComponents {
    private RecordComponents() {}

    /**
     * Throws a {@link NullPointerException} naming the first null among {@code components} — a record's
     * components, all of them, in declaration order (primitives pass as boxed values) — as {@code
     * Objects.requireNonNull(value, "name")} would: {@code RecordComponents.requireNonNull(Alert.class,
     * status, key, fingerprint, startsAt, endsAt, value)}.
     *
     * @throws IllegalArgumentException if a value is null and {@code components} are not as many as the
     *     record's (a wrong call, found when it matters)
     */
    public static void requireNonNull(Class<? extends Record> type, Object... components) {
        for (int i = 0; i < components.length; i++) {
            if (components[i] == null) {
                RecordComponent[] declared = type.getRecordComponents();
                if (declared.length != components.length) {
                    throw new IllegalArgumentException(type.getSimpleName() + " has " + declared.length
                            + " components, the check was given " + components.length);
                }
                throw new NullPointerException(declared[i].getName());
            }
        }
    }
}
