package io.fathom.core.decode;

import io.fathom.core.InvalidEventException;
import io.fathom.core.InvalidEventException.Reason;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;

/**
 * Decodes Avro single-object encoding (marker C3 01, 8-byte CRC-64-AVRO schema fingerprint, body)
 * with the writer schema declared for the source; an unknown fingerprint is undecodable.
 */
public final class AvroSingleObjectDecoder implements AvroRecordDecoder {
    private final BinaryMessageDecoder<GenericRecord> decoder;

    public AvroSingleObjectDecoder(Schema writerSchema) {
        this.decoder = new BinaryMessageDecoder<>(GenericData.get(), writerSchema);
    }

    @Override
    public GenericRecord record(byte[] value) {
        if (value == null) {
            throw new InvalidEventException(Reason.UNDECODABLE, "event has no value (tombstone)");
        }
        try {
            return decoder.decode(value);
        } catch (InvalidEventException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Whatever Avro throws on bytes that are not a record of the schema — AvroRuntimeException, an index out
            // of bounds, UnsupportedOperationException for a length past 2^31 (found by EventDecoderFuzzTest) — the
            // event is undecodable.
            throw new InvalidEventException(
                    Reason.UNDECODABLE, "not Avro single-object encoded with the declared schema: " + e.getMessage());
        }
    }
}
