package io.fathom.offline.internal;

import io.fathom.core.TileAggregator;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An event's values as the map {@link TileAggregator#add} reads, without building one per event: a view of
 * the values array by the plan's field names, which {@code add} reads by those names and does not keep
 * (an event's values are in {@code ViewPlan.fields()} order). Reused for every event of a walk.
 */
final class FieldMap extends AbstractMap<String, Object> {
    private final List<String> names;
    private Object[] values = new Object[0];

    FieldMap(List<String> names) {
        this.names = names;
    }

    FieldMap of(Object[] eventValues) {
        this.values = eventValues;
        return this;
    }

    @Override
    public Object get(Object name) {
        int i = indexOf(name);
        return i < 0 ? null : values[i];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    private int indexOf(Object name) {
        int n = Math.min(values.length, names.size());
        for (int i = 0; i < n; i++) {
            if (names.get(i) == name) {
                return i;
            }
        }
        for (int i = 0; i < n; i++) {
            if (names.get(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(values.length, names.size()); i++) {
            copy.put(names.get(i), values[i]);
        }
        return copy.entrySet();
    }
}
