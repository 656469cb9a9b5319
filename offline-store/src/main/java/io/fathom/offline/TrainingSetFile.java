package io.fathom.offline;

import io.fathom.offline.internal.EntityRowSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a training set (or any CSV or Parquet table) by column, e.g. to build a drift baseline from
 * it. CSV cells come back as strings (empty cells as null), Parquet values as their Avro types.
 */
public final class TrainingSetFile {
    private TrainingSetFile() {}

    /** Every column of the file, in file order, each with one value per row. */
    public static Map<String, List<Object>> readColumns(Path file) {
        EntityRowSource source = EntityRowSource.file(file);
        List<String> names = source.columns();
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        names.forEach(n -> columns.put(n, new ArrayList<>()));
        try (EntityRowSource.Cursor cursor = source.open()) {
            while (cursor.next()) {
                for (int i = 0; i < names.size(); i++) {
                    Object value = cursor.get(i);
                    if (value instanceof CharSequence text) {
                        value = text.isEmpty() ? null : text.toString();
                    }
                    columns.get(names.get(i)).add(value);
                }
            }
        } catch (IOException e) {
            throw new OfflineException("cannot read " + source.describe() + ": " + e.getMessage(), e);
        }
        return columns;
    }
}
