package io.fathom.offline.internal;

import io.fathom.schemas.avro.EntityState;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * A {@code FeatureSnapshot} read from its Avro binary form without materialising the tile state: the
 * state's bytes are sliced out as they are (the offline store keeps them as they are, and the join
 * decodes only the few it needs). An Avro record is the concatenation of its fields, so the state is the
 * bytes between {@code created_ts} and {@code values}; {@link GenericDatumReader#skip} finds its end.
 */
public record DecodedSnapshot(
        String view, String entityKey, long eventTs, long createdTs, byte[] state, Map<String, Object> values) {

    private static final org.apache.avro.Schema STATE_SCHEMA = EntityState.getClassSchema();

    public static DecodedSnapshot decode(byte[] bytes) {
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        try {
            String view = decoder.readString();
            String key = decoder.readString();
            long eventTs = decoder.readLong();
            long createdTs = decoder.readLong();
            int stateStart = bytes.length - decoder.inputStream().available();
            GenericDatumReader.skip(STATE_SCHEMA, decoder);
            int stateEnd = bytes.length - decoder.inputStream().available();
            byte[] state = java.util.Arrays.copyOfRange(bytes, stateStart, stateEnd);
            Map<String, Object> values = new LinkedHashMap<>();
            for (long n = decoder.readMapStart(); n != 0; n = decoder.mapNext()) {
                for (long i = 0; i < n; i++) {
                    String name = decoder.readString();
                    values.put(name, readValue(decoder));
                }
            }
            if (!decoder.isEnd()) {
                throw new IOException((bytes.length - decoder.inputStream().available()) + " of " + bytes.length
                        + " bytes read, the rest is not part of a snapshot");
            }
            return new DecodedSnapshot(view, key, eventTs, createdTs, state, values);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot decode " + bytes.length + " bytes as a FeatureSnapshot", e);
        }
    }

    private static Object readValue(BinaryDecoder decoder) throws IOException {
        int branch = decoder.readIndex();
        return switch (branch) {
            case 0 -> {
                decoder.readNull();
                yield null;
            }
            case 1 -> decoder.readLong();
            case 2 -> decoder.readDouble();
            case 3 -> decoder.readString();
            case 4 -> decoder.readBoolean();
            default -> throw new IOException("feature value union branch " + branch + " does not exist");
        };
    }
}
