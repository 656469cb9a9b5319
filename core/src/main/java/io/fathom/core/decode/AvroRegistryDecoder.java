package io.fathom.core.decode;

import io.fathom.core.InvalidEventException;
import io.fathom.core.InvalidEventException.Reason;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

/**
 * Decodes Avro framed for a schema registry (magic byte 0, 4-byte schema id, body). No registry is
 * consulted: the body is read with the schema declared for the source, whatever the id.
 */
public final class AvroRegistryDecoder implements AvroRecordDecoder {
    private static final int HEADER_BYTES = 5;
    private final GenericDatumReader<GenericRecord> reader;

    public AvroRegistryDecoder(Schema writerSchema) {
        this.reader = new GenericDatumReader<>(writerSchema);
    }

    @Override
    public GenericRecord record(byte[] value) {
        if (value == null || value.length < HEADER_BYTES || value[0] != 0) {
            throw new InvalidEventException(
                    Reason.UNDECODABLE, "not schema-registry framed Avro (magic byte 0 + 4-byte id)");
        }
        try {
            var decoder = DecoderFactory.get().binaryDecoder(value, HEADER_BYTES, value.length - HEADER_BYTES, null);
            GenericRecord record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new InvalidEventException(Reason.UNDECODABLE, "trailing bytes after the Avro body");
            }
            return record;
        } catch (InvalidEventException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Whatever Avro throws on bytes that are not a record of the schema — AvroRuntimeException, an index out
            // of bounds, UnsupportedOperationException for a length past 2^31 (found by EventDecoderFuzzTest) — the
            // event is undecodable.
            throw new InvalidEventException(
                    Reason.UNDECODABLE, "Avro body does not match the declared schema: " + e.getMessage());
        }
    }
}
