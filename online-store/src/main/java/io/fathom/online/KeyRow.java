package io.fathom.online;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The key values of one entity row, by column in the entity's column order: an unmodifiable map over the
 * entity's column list and an array of the row's values that {@link OnlineFeatureReader} let go of, which
 * {@link EntityResult} keeps as it is instead of copying it.
 */
final class KeyRow extends AbstractMap<String, Object> {
    private final List<String> columns;
    private final Object[] values;

    /** Takes over {@code values}, one per column: the caller must not touch the array again. */
    KeyRow(List<String> columns, Object[] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(
                    "columns " + columns + " and " + values.length + " values differ in length");
        }
        this.columns = List.copyOf(columns);
        this.values = values;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public Object get(Object key) {
        int index = columns.indexOf(key);
        return index < 0 ? null : values[index];
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.contains(key);
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(columns.get(i), values[i]);
                    }
                };
            }
        };
    }
}
