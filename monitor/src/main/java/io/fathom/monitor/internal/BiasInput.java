package io.fathom.monitor.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A prediction or a label of a bias monitor, keyed by id; a compact binary form for repartitioning. */
sealed interface BiasInput {
    String id();

    /** The event time: a prediction's, or a label's arrival. */
    long time();

    /** A prediction: positive or not, and the group of each protected attribute. */
    record Prediction(String id, boolean positive, Map<String, String> groups, long time) implements BiasInput {}

    /** A label: the true class. */
    record Label(String id, boolean positive, long time) implements BiasInput {}

    static byte[] toBytes(BiasInput input) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (input instanceof Prediction p) {
                out.writeByte(0);
                out.writeUTF(p.id());
                out.writeBoolean(p.positive());
                out.writeLong(p.time());
                out.writeInt(p.groups().size());
                for (Map.Entry<String, String> e : p.groups().entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeUTF(e.getValue());
                }
            } else {
                Label l = (Label) input;
                out.writeByte(1);
                out.writeUTF(l.id());
                out.writeBoolean(l.positive());
                out.writeLong(l.time());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static BiasInput fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte kind = in.readByte();
            String id = in.readUTF();
            boolean positive = in.readBoolean();
            long time = in.readLong();
            if (kind == 1) {
                return new Label(id, positive, time);
            }
            int size = in.readInt();
            Map<String, String> groups = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                groups.put(in.readUTF(), in.readUTF());
            }
            return new Prediction(id, positive, groups, time);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a stored bias input", e);
        }
    }

    static Serde<BiasInput> serde() {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : toBytes(value),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }
}
