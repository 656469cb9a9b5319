package io.fathom.online.internal;

import io.fathom.core.EntityKey;
import io.fathom.online.BadRequestException;
import io.fathom.schemas.EntityDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The entity rows of an online read, validated against the entity: each row's key values in the entity's
 * column order, as the request gave them, and its canonical key ({@link EntityKey#encoded()}), the store's
 * key. Every problem is reported with the value that caused it.
 *
 * @param columns the entity's key columns
 * @param values each row's key values, in {@code columns} order; the arrays are not copied, nothing modifies
 *     them
 * @param keys each row's canonical key
 */
public record EntityRows(List<String> columns, List<Object[]> values, List<String> keys) {

    /** The number of rows. */
    public int size() {
        return keys.size();
    }

    /**
     * Reads the rows of {@code entities} (key column to values, one per row).
     *
     * @throws BadRequestException no rows, a missing or unexpected key column, columns of unequal length, a
     *     null, boolean or fractional key value
     */
    public static EntityRows parse(EntityDefinition entity, Map<String, List<Object>> entities) {
        List<String> columns = entity.keys();
        if (entities == null || entities.isEmpty()) {
            throw new BadRequestException(
                    "no entity rows: give the key columns " + columns + " of entity " + entity.name());
        }
        for (String column : entities.keySet()) {
            if (!columns.contains(column)) {
                throw new BadRequestException("unexpected key column \"" + column + "\" for entity " + entity.name()
                        + " (its key columns are " + columns + ")");
            }
        }
        int width = columns.size();
        List<List<Object>> byColumn = new ArrayList<>(width);
        int count = -1;
        String firstColumn = null;
        for (String column : columns) {
            List<Object> values = entities.get(column);
            if (values == null) {
                throw new BadRequestException("missing key column \"" + column + "\" for entity " + entity.name()
                        + " (its key columns are " + columns + ")");
            }
            if (count < 0) {
                count = values.size();
                firstColumn = column;
            } else if (values.size() != count) {
                throw new BadRequestException("key columns differ in length: " + firstColumn + " has " + count
                        + " values, " + column + " has " + values.size());
            }
            byColumn.add(values);
        }
        if (count == 0) {
            throw new BadRequestException("no entity rows: the key columns " + columns + " are empty");
        }
        List<Object[]> rows = new ArrayList<>(count);
        List<String> keys = new ArrayList<>(count);
        for (int row = 0; row < count; row++) {
            Object[] values = new Object[width];
            for (int c = 0; c < width; c++) {
                Object value = byColumn.get(c).get(row);
                if (value == null) {
                    throw new BadRequestException(
                            "key column " + columns.get(c) + ", row " + row + ": the value is null");
                }
                values[c] = value;
            }
            try {
                keys.add(new EntityKey(columns, List.of(values)).encoded());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("row " + row + ": " + e.getMessage(), e);
            }
            rows.add(values);
        }
        return new EntityRows(columns, rows, keys);
    }
}
