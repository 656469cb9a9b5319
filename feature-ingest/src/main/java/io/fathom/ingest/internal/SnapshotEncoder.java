package io.fathom.ingest.internal;

import io.fathom.schemas.avro.FeatureSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * Writes the Avro binary form of a {@link FeatureSnapshot} around an entity state that is already
 * encoded (the bytes just put in the state store), so each update encodes the state once, not twice.
 * An Avro record is the concatenation of its fields' encodings, so splicing the state's bytes between
 * {@code created_ts} and {@code values} gives exactly what the generic writer would; the tests hold
 * it to that.
 */
final class SnapshotEncoder {
    private static final int NULL = 0;
    private static final int LONG = 1;
    private static final int DOUBLE = 2;
    private static final int STRING = 3;
    private static final int BOOLEAN = 4;

    private SnapshotEncoder() {}

    static byte[] encode(
            String view, String entityKey, long eventTs, long createdTs, byte[] state, Map<String, Object> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(state.length + 64 + values.size() * 24);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            encoder.writeString(view);
            encoder.writeString(entityKey);
            encoder.writeLong(eventTs);
            encoder.writeLong(createdTs);
            encoder.writeFixed(state);
            encoder.writeMapStart();
            encoder.setItemCount(values.size());
            for (Map.Entry<String, Object> entry : values.entrySet()) {
                encoder.startItem();
                encoder.writeString(entry.getKey());
                writeValue(encoder, entry.getValue());
            }
            encoder.writeMapEnd();
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the snapshot of " + view + "/" + entityKey, e);
        }
        return out.toByteArray();
    }

    private static void writeValue(BinaryEncoder encoder, Object value) throws IOException {
        if (value == null) {
            encoder.writeIndex(NULL);
        } else if (value instanceof Long l) {
            encoder.writeIndex(LONG);
            encoder.writeLong(l);
        } else if (value instanceof Double d) {
            encoder.writeIndex(DOUBLE);
            encoder.writeDouble(d);
        } else if (value instanceof String s) {
            encoder.writeIndex(STRING);
            encoder.writeString(s);
        } else if (value instanceof Boolean b) {
            encoder.writeIndex(BOOLEAN);
            encoder.writeBoolean(b);
        } else {
            throw new IllegalArgumentException(
                    "feature value of unsupported type " + value.getClass().getName() + ": " + value);
        }
    }
}
