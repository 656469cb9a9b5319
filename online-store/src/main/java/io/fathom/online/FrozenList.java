package io.fathom.online;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over an array that its creator filled and then let go of: what {@link
 * OnlineFeatureReader} hands to {@link EntityResult}, which keeps it as it is instead of copying it. Elements
 * may be null. Only this package creates them, so no one else holds the array.
 */
final class FrozenList<T> extends AbstractList<T> implements RandomAccess {
    private final T[] items;

    private FrozenList(T[] items) {
        this.items = items;
    }

    /** Takes over {@code items}: the caller must not touch the array again. */
    static <T> FrozenList<T> of(T[] items) {
        return new FrozenList<>(Objects.requireNonNull(items, "items"));
    }

    @Override
    public T get(int index) {
        return items[index];
    }

    @Override
    public int size() {
        return items.length;
    }

    @Override
    public Object[] toArray() {
        return items.clone();
    }
}
