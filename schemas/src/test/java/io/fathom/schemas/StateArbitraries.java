package io.fathom.schemas;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of everything {@code FeatureSnapshot.avsc} can hold, for the codecs' properties. */
final class StateArbitraries {
    static final double NAN_WITH_PAYLOAD = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);

    private StateArbitraries() {}

    static Arbitrary<EntityState> states() {
        Arbitrary<FieldAccumulator> accumulators = accumulators();
        Arbitrary<Tile> tiles = Combinators.combine(
                        longs(), longs(), accumulators.list().ofMaxSize(4))
                .as(Tile::new);
        return Combinators.combine(
                        longs(), tiles.list().ofMaxSize(4), accumulators.list().ofMaxSize(4))
                .as(EntityState::new);
    }

    /** Feature values by name: every branch of the union, nulls included, in a map that keeps its order. */
    static Arbitrary<Map<String, Object>> valueMaps() {
        return Arbitraries.maps(strings(), values()).ofMaxSize(8);
    }

    /** The first eight fields of an accumulator; Combinators take at most eight. */
    private record Head(
            long count, double mean, double m2, double sum, Double min, Double max, Long firstTs, Object first) {}

    private static Arbitrary<FieldAccumulator> accumulators() {
        Arbitrary<Head> heads = Combinators.combine(
                        longs(),
                        doubles(),
                        doubles(),
                        doubles(),
                        doubles().injectNull(0.3),
                        doubles().injectNull(0.3),
                        longs().injectNull(0.3),
                        values())
                .as(Head::new);
        return Combinators.combine(heads, longs().injectNull(0.3), values(), sketches())
                .as((h, lastTs, last, distinct) -> new FieldAccumulator(
                        h.count(),
                        h.mean(),
                        h.m2(),
                        h.sum(),
                        h.min(),
                        h.max(),
                        h.firstTs(),
                        h.first(),
                        lastTs,
                        last,
                        distinct));
    }

    static Arbitrary<Long> longs() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.longs().between(-300, 300));
    }

    static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(
                Arbitraries.doubles()
                        .withStandardSpecialValues()
                        .withSpecialValue(-0.0)
                        .withSpecialValue(NAN_WITH_PAYLOAD),
                Arbitraries.longs().map(Double::longBitsToDouble));
    }

    /** A value of every branch of ["null","long","double","string","boolean"]. */
    static Arbitrary<Object> values() {
        return Arbitraries.<Object>oneOf(longs(), doubles(), strings(), Arbitraries.of(true, false))
                .injectNull(0.25);
    }

    /** Valid Unicode, mostly ASCII; unpaired surrogates do not survive String.getBytes and have their own test. */
    static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7e)),
                Tuple.of(
                        1,
                        Arbitraries.integers()
                                .between(0, Character.MAX_CODE_POINT)
                                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)));
        return codePoints.list().ofMaxSize(24).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    /** Sketch bytes in buffers of every kind: offset, sliced, read-only, direct. */
    private static Arbitrary<ByteBuffer> sketches() {
        Arbitrary<byte[]> contents = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        return Combinators.combine(contents, Arbitraries.integers().between(0, 4))
                .as((bytes, kind) -> {
                    byte[] padded = new byte[bytes.length + 6];
                    System.arraycopy(bytes, 0, padded, 3, bytes.length);
                    return switch (kind) {
                        case 0 -> ByteBuffer.wrap(bytes);
                        case 1 -> ByteBuffer.wrap(padded, 3, bytes.length);
                        case 2 -> ByteBuffer.wrap(padded, 3, bytes.length).slice();
                        case 3 -> ByteBuffer.wrap(bytes).asReadOnlyBuffer();
                        default -> ByteBuffer.allocateDirect(bytes.length)
                                .put(bytes)
                                .flip();
                    };
                })
                .injectNull(0.3);
    }
}
