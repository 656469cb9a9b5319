package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * The entity rows of a join, readable twice in the same order (once to sort them, once to write the
 * output beside them): a CSV file, a Parquet file, or a list in memory.
 */
public interface EntityRowSource {
    /** E.g. {@code entity rows file /data/rows.csv}, for messages. */
    String describe();

    List<String> columns();

    /** The (nullable) Avro schema of a column, for Parquet output. */
    Schema columnSchema(int column);

    Cursor open() throws IOException;

    /** A timestamp column's raw value in a form {@code EventTimes.parse} reads (epoch millis or text). */
    default Object timestampValue(int column, Object raw) {
        return raw;
    }

    /** Reads the rows in order. */
    interface Cursor extends Closeable {
        boolean next() throws IOException;

        /** The value of a column of the current row: {@code String}, {@code Long}, ... or null. */
        Object get(int column);
    }

    /** A {@code .csv} or {@code .parquet} file. */
    static EntityRowSource file(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CsvRowSource.open(path);
        }
        if (name.endsWith(".parquet")) {
            return ParquetRowSource.open(path);
        }
        throw new OfflineException("entity rows file " + path + ": expected a .csv or .parquet file");
    }

    /** The schema, or a union of null and it (a union gets null added as its first branch). */
    static Schema nullable(Schema schema) {
        if (schema.getType() == Schema.Type.NULL || schema.isNullable()) {
            return schema;
        }
        List<Schema> branches = new java.util.ArrayList<>();
        branches.add(Schema.create(Schema.Type.NULL));
        if (schema.getType() == Schema.Type.UNION) {
            branches.addAll(schema.getTypes());
        } else {
            branches.add(schema);
        }
        return Schema.createUnion(branches);
    }
}
