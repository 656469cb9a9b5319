package io.fathom.monitor.internal;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What one prediction or one label adds to the group counts of the window holding the prediction's
 * event time, for each protected attribute's group. A label alone adds one cell of the confusion
 * matrix and no prediction, so the deltas are raw counts (n, predicted positive, TP, FP, FN, TN), not
 * a {@code GroupCounts}, whose invariants hold only for whole windows.
 */
record Contribution(long windowTime, Map<String, String> groups, long[] deltas) {
    static final int N = 0;
    static final int PREDICTED_POSITIVE = 1;
    static final int TP = 2;
    static final int FP = 3;
    static final int FN = 4;
    static final int TN = 5;

    static Contribution prediction(BiasInput.Prediction p) {
        long[] d = new long[6];
        d[N] = 1;
        d[PREDICTED_POSITIVE] = p.positive() ? 1 : 0;
        return new Contribution(p.time(), p.groups(), d);
    }

    /** The label's cell of the confusion matrix, in the window of its prediction. */
    static Contribution label(BiasInput.Prediction p, BiasInput.Label l) {
        long[] d = new long[6];
        d[p.positive() ? (l.positive() ? TP : FP) : (l.positive() ? FN : TN)] = 1;
        return new Contribution(p.time(), p.groups(), d);
    }

    static Serde<Contribution> serde() {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : toBytes(value),
                (topic, bytes) -> bytes == null ? null : fromBytes(bytes));
    }

    static byte[] toBytes(Contribution c) {
        return DataBytes.write(out -> {
            out.writeLong(c.windowTime());
            for (long d : c.deltas()) {
                out.writeLong(d);
            }
            DataBytes.writeMap(out, c.groups());
        });
    }

    static Contribution fromBytes(byte[] bytes) {
        return DataBytes.read(bytes, "a bias contribution", in -> {
            long time = in.readLong();
            long[] deltas = new long[6];
            for (int i = 0; i < deltas.length; i++) {
                deltas[i] = in.readLong();
            }
            return new Contribution(time, DataBytes.readMap(in), deltas);
        });
    }
}
