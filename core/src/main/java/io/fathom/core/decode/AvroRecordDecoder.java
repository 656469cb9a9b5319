package io.fathom.core.decode;

import org.apache.avro.generic.GenericRecord;

/**
 * An Avro source's decoder: the whole record, read with the source's declared schema. Ingest keeps the
 * fields its views need ({@link EventDecoders#forSource}); the event history archives every field, not
 * only those the views use today.
 */
@FunctionalInterface
public interface AvroRecordDecoder {
    /**
     * The event's record.
     *
     * @throws io.fathom.core.InvalidEventException {@code UNDECODABLE} for bytes that are not such a record
     */
    GenericRecord record(byte[] value);
}
