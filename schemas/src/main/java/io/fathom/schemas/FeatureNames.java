package io.fathom.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reader's memory of the feature names it decoded last, by their place in the encoding, for {@link
 * FeatureValues#forEach(FeatureValues.Visitor, FeatureNames)}: the snapshots of one view encode the same names in
 * the same order, so a name whose bytes equal the last ones at its place is handed over as the same {@code String},
 * not decoded and allocated again. Not thread-safe: one per reader (the monitor keeps one per stream task).
 */
public final class FeatureNames {
    private byte[][] bytes = new byte[0][];
    private String[] names = new String[0];

    /** Reads the name at {@code ordinal}: from memory when its bytes are the last ones there. */
    String read(int ordinal, BinaryReader in) {
        int length = in.readLength(FeatureValues.NAME);
        int from = in.pos;
        in.pos += length;
        byte[] buf = in.buf;
        if (ordinal < names.length) {
            byte[] last = bytes[ordinal];
            if (last != null && Arrays.equals(last, 0, last.length, buf, from, from + length)) {
                return names[ordinal];
            }
        } else {
            bytes = Arrays.copyOf(bytes, Math.max(8, 2 * (ordinal + 1)));
            names = Arrays.copyOf(names, bytes.length);
        }
        bytes[ordinal] = Arrays.copyOfRange(buf, from, from + length);
        names[ordinal] = new String(buf, from, length, StandardCharsets.UTF_8);
        return names[ordinal];
    }
}
