package io.fathom.offline.internal;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/** How the offline store opens Parquet writers and readers (parquet-avro, ZSTD, no Hadoop types). */
public final class ParquetFiles {
    public static final long DEFAULT_ROW_GROUP_BYTES = 32L << 20;
    /** {@code AvroReadSupport.AVRO_READ_SCHEMA}, private there: the schema of the records read. */
    private static final String AVRO_READ_SCHEMA = "parquet.avro.read.schema";
    /** {@code ParquetInputFormat.RECORD_FILTERING_ENABLED}, whose class needs Hadoop on the class path. */
    private static final String RECORD_LEVEL_FILTER = "parquet.filter.record-level.enabled";
    /** Footers only: no Hadoop configuration behind them. */
    private static final ParquetReadOptions READ_OPTIONS =
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build();

    private ParquetFiles() {}

    public static ParquetWriter<GenericRecord> writer(OutputFile file, Schema schema, long rowGroupBytes)
            throws IOException {
        return AvroParquetWriter.<GenericRecord>builder(file)
                .withConf(new PlainParquetConfiguration())
                .withSchema(schema)
                .withDataModel(GenericData.get())
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize(rowGroupBytes)
                .withPageSize(1 << 20)
                .withDictionaryEncoding(true)
                .build();
    }

    /**
     * The Avro schema of a Parquet file (the one parquet-avro wrote, or one derived from the Parquet schema).
     * Opened with options of a plain configuration: {@code ParquetFileReader.open(file)} alone builds a Hadoop
     * {@code Configuration}, which parses Hadoop's default XML resources again for every file (two thirds of
     * the time of reading a small file).
     */
    public static Schema avroSchema(InputFile file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(file, READ_OPTIONS)) {
            var metadata = reader.getFooter().getFileMetaData();
            String written = metadata.getKeyValueMetaData().get("parquet.avro.schema");
            return written != null
                    ? new Schema.Parser().parse(written)
                    : new AvroSchemaConverter().convert(metadata.getSchema());
        }
    }

    /** A reader of all columns. */
    public static ParquetReader<GenericRecord> reader(InputFile file) throws IOException {
        return AvroParquetReader.<GenericRecord>builder(file, new PlainParquetConfiguration())
                .withDataModel(GenericData.get())
                .build();
    }

    /**
     * A reader of the projected columns only, skipping the row groups (and pages) the filter rules out. Rows
     * are not filtered one by one: every caller checks each row it reads against the same rule, or a stricter
     * one, and Parquet's record-level filter evaluated the predicate on every value again.
     */
    public static ParquetReader<GenericRecord> reader(InputFile file, Schema projection, FilterCompat.Filter filter)
            throws IOException {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set(RECORD_LEVEL_FILTER, "false");
        conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, projection.toString());
        conf.set(AVRO_READ_SCHEMA, projection.toString());
        conf.set(AvroReadSupport.AVRO_COMPATIBILITY, "false");
        return AvroParquetReader.<GenericRecord>builder(file, conf)
                .withDataModel(GenericData.get())
                .withFilter(filter)
                .build();
    }
}
