package io.fathom.core.decode;

import org.apache.avro.generic.GenericRecord;

/**
 * An Avro source's decoder that also gives the whole record, read with the source's declared schema
 * exactly as {@link #decode} reads it: the event history archives every field, not only those the
 * views use today.
 */
public interface AvroRecordDecoder extends EventDecoder {
    /**
     * The event's record.
     *
     * @throws io.fathom.core.InvalidEventException {@code UNDECODABLE}, as {@link #decode} does
     */
    GenericRecord record(byte[] value);
}
