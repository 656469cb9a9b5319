package io.fathom.monitor.internal;

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
        return DataBytes.write(out -> {
            if (input instanceof Prediction p) {
                out.writeByte(0);
                out.writeUTF(p.id());
                out.writeBoolean(p.positive());
                out.writeLong(p.time());
                DataBytes.writeMap(out, p.groups());
            } else {
                Label l = (Label) input;
                out.writeByte(1);
                out.writeUTF(l.id());
                out.writeBoolean(l.positive());
                out.writeLong(l.time());
            }
        });
    }

    static BiasInput fromBytes(byte[] bytes) {
        return DataBytes.read(bytes, "a stored bias input", in -> {
            byte kind = in.readByte();
            String id = in.readUTF();
            boolean positive = in.readBoolean();
            long time = in.readLong();
            if (kind == 1) {
                return new Label(id, positive, time);
            }
            return new Prediction(id, positive, DataBytes.readMap(in), time);
        });
    }

    static Serde<BiasInput> serde() {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : toBytes(value),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }
}
