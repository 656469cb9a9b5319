package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

/**
 * A training set as Parquet (ZSTD): the entity rows' columns with their own types (strings from CSV),
 * then one nullable column per feature, typed as in the offline store. Written to a hidden temporary
 * file beside the output and moved into place by {@link #commit}.
 */
final class ParquetSink implements TrainingSetSink {
    private final AtomicOutput file;
    private final Schema schema;
    private final ParquetWriter<GenericRecord> writer;
    private final int inputCount;
    private boolean closed;

    ParquetSink(Path output, EntityRowSource source, List<String> featureColumns, List<ColumnType> featureTypes)
            throws IOException {
        this.file = new AtomicOutput(output);
        List<Schema.Field> fields = new ArrayList<>();
        List<String> columns = source.columns();
        try {
            for (int i = 0; i < columns.size(); i++) {
                // No default: an input union may be nullable with null not first, which a null default rejects.
                fields.add(new Schema.Field(columns.get(i), source.columnSchema(i)));
            }
            for (int i = 0; i < featureColumns.size(); i++) {
                fields.add(new Schema.Field(
                        featureColumns.get(i),
                        featureTypes.get(i).nullableSchema(),
                        null,
                        Schema.Field.NULL_DEFAULT_VALUE));
            }
            Schema record = Schema.createRecord("training_set", null, "io.fathom.offline", false);
            record.setFields(fields);
            this.schema = record;
        } catch (SchemaParseException e) {
            throw new OfflineException(
                    "training set output " + output + ": the entity rows' columns " + columns
                            + " cannot all be Parquet column names (" + e.getMessage() + "); rename them or write CSV",
                    e);
        }
        this.inputCount = columns.size();
        this.writer = ParquetFiles.writer(
                new LocalOutputFile(file.temporary()), schema, ParquetFiles.DEFAULT_ROW_GROUP_BYTES);
    }

    @Override
    public void write(long rowIndex, Object[] inputValues, Object[] featureValues, long[] snapshotEventTs)
            throws IOException {
        GenericData.Record row = new GenericData.Record(schema);
        for (int i = 0; i < inputValues.length; i++) {
            row.put(i, inputValues[i]);
        }
        for (int i = 0; i < featureValues.length; i++) {
            row.put(inputCount + i, featureValues[i]);
        }
        writer.write(row);
    }

    @Override
    public void commit() throws IOException {
        closeWriter();
        file.commit();
    }

    @Override
    public void close() throws IOException {
        try (file) {
            closeWriter();
        }
    }

    /** Parquet's writer must be closed once only. */
    private void closeWriter() throws IOException {
        if (!closed) {
            closed = true;
            writer.close();
        }
    }
}
