package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Entity rows from a Parquet file: its top-level columns. Timestamps may be longs (epoch millis, or
 * {@code timestamp-millis}/{@code -micros}/{@code -nanos}, which are converted to millis) or strings.
 */
final class ParquetRowSource implements EntityRowSource {
    private final Path path;
    private final Schema schema;
    private final List<String> columns;

    private ParquetRowSource(Path path, Schema schema) {
        this.path = path;
        this.schema = schema;
        this.columns = schema.getFields().stream().map(Schema.Field::name).toList();
    }

    static ParquetRowSource open(Path path) {
        try (ParquetReader<GenericRecord> reader = ParquetFiles.reader(new LocalInputFile(path))) {
            GenericRecord first = reader.read();
            if (first == null) {
                // An empty file: its schema is still wanted, and parquet-avro gives it only with a record.
                return new ParquetRowSource(path, ParquetFiles.avroSchema(new LocalInputFile(path)));
            }
            return new ParquetRowSource(path, first.getSchema());
        } catch (IOException | RuntimeException e) {
            throw new OfflineException("cannot read entity rows file " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "entity rows file " + path;
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public Schema columnSchema(int column) {
        return EntityRowSource.nullable(schema.getFields().get(column).schema());
    }

    @Override
    public Object timestampValue(int column, Object raw) {
        return TimestampUnits.toMillis(schema.getFields().get(column).schema(), raw);
    }

    @Override
    public Cursor open() throws IOException {
        ParquetReader<GenericRecord> reader = ParquetFiles.reader(new LocalInputFile(path));
        return new Cursor() {
            private GenericRecord current;

            @Override
            public boolean next() throws IOException {
                current = reader.read();
                return current != null;
            }

            @Override
            public Object get(int column) {
                Object value = current.get(column);
                return value instanceof Utf8 ? value.toString() : value;
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
    }
}
