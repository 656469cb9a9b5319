package io.fathom.offline.internal;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How the records of one topic become the rows of one dataset's files: what the {@link WriterLoop} needs to
 * know of a dataset besides where it lives. {@link SnapshotRows} for a view's snapshots, {@link EventRows}
 * for a source's events; the loop, the files and the commit protocol are the same for both.
 */
public interface RowFormat {
    /** The row schema of the dataset's files. */
    Schema schema();

    /** The row of one record, or why the record is not stored. */
    Converted convert(ConsumerRecord<byte[], byte[]> record);

    /** What {@link #convert} makes of a record. */
    sealed interface Converted permits Row, Skip {}

    /** A row, with the event time (epoch millis) whose UTC date is its file's date. */
    record Row(long eventTs, GenericRecord row) implements Converted {}

    /** A record that is not stored, and why (the loop counts it and logs the first of each topic). */
    record Skip(String reason) implements Converted {}
}
