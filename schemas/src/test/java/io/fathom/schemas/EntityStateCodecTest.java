package io.fathom.schemas;

import static io.fathom.schemas.CodecChecks.assertEveryTruncationRejected;
import static io.fathom.schemas.CodecChecks.assertSameFields;
import static io.fathom.schemas.CodecChecks.assertWrittenFor;
import static io.fathom.schemas.CodecChecks.avroBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.CodecChecks.AvroWrites;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.Utf8;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class EntityStateCodecTest {
    private static final EntityStateCodec CODEC = new EntityStateCodec();
    private static final AvroCodec<EntityState> AVRO = AvroCodec.of(EntityState.getClassSchema());
    private static final AvroCodec<FieldAccumulator> AVRO_ACCUMULATOR = AvroCodec.of(FieldAccumulator.getClassSchema());
    /** The record {@link EntityStateCodec#encode(VersionedState)} writes, declared independently of the codec. */
    private static final Schema VERSIONED = SchemaBuilder.record("VersionedState")
            .namespace("io.fathom.schemas.test")
            .fields()
            .name("state")
            .type(EntityState.getClassSchema())
            .noDefault()
            .name("version")
            .type()
            .longType()
            .longDefault(0)
            .endRecord();

    @Test
    void theCodecWasWrittenForThisSchema() {
        assertWrittenFor(
                EntityState.getClassSchema(),
                EntityStateCodec.SCHEMA_FINGERPRINT,
                "EntityState's schema in FeatureSnapshot.avsc changed: update EntityStateCodec's field and"
                        + " union branch order to match, then set EntityStateCodec.SCHEMA_FINGERPRINT to 0x%xL");
    }

    @Property(tries = 1000)
    void encodesAsAvroDoesAndDecodesEitherEncoding(@ForAll("states") EntityState state) {
        byte[] avro = AVRO.encode(state);
        byte[] ours = CODEC.encode(state);

        assertThat(ours).isEqualTo(avro);
        assertSameFields(CODEC.decode(ours), state);
        assertSameFields(CODEC.decode(avro), state);
        assertThat(AVRO.encode(CODEC.decode(ours)))
                .as("re-encoded, bit for bit")
                .isEqualTo(avro);
    }

    @Property(tries = 100)
    void everyTruncationIsRejected(@ForAll("states") EntityState state) {
        assertEveryTruncationRejected(CODEC.encode(state), CODEC::decode, "EntityState");
    }

    /** What ingest stores: the state, then its version, as Avro writes a record {state: EntityState, version: long}. */
    @Property(tries = 300)
    void encodesAVersionedStateAsAvroDoesARecordOfStateAndVersion(
            @ForAll("states") EntityState state, @ForAll long version) {
        EncodedState encoded = CODEC.encode(new VersionedState(state, version));
        byte[] ours = encoded.bytes();

        assertThat(encoded.version()).isEqualTo(version);
        assertThat(ours).isEqualTo(avroBytes(out -> {
            GenericRecord record = new GenericData.Record(VERSIONED);
            record.put("state", state);
            record.put("version", version);
            new GenericDatumWriter<GenericRecord>(VERSIONED, SpecificData.get()).write(record, out);
        }));
        VersionedState decoded = CODEC.decodeVersioned(ours);
        assertThat(decoded.version()).isEqualTo(version);
        assertSameFields(decoded.state(), state);
        assertThat(Arrays.copyOf(ours, encoded.stateLength())).isEqualTo(CODEC.encode(state));
    }

    @Property(tries = 100)
    void aStateStoredBeforeVersionsReadsAsVersionZeroAndEveryOtherTruncationIsRejected(
            @ForAll("states") EntityState state, @ForAll long version) {
        byte[] plain = CODEC.encode(state);
        byte[] versioned = CODEC.encode(new VersionedState(state, version)).bytes();

        VersionedState old = CODEC.decodeVersioned(plain);
        assertThat(old.version()).isZero();
        assertSameFields(old.state(), state);
        assertEveryTruncationRejected(plain, CODEC::decodeVersioned, "EntityState");
        for (int length = plain.length + 1; length < versioned.length; length++) {
            byte[] cut = Arrays.copyOf(versioned, length);
            assertThatThrownBy(() -> CODEC.decodeVersioned(cut))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("truncated EntityState: the input ends after " + length + " bytes");
        }
        assertThatThrownBy(() -> CODEC.decodeVersioned(Arrays.copyOf(versioned, versioned.length + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed EntityState: the record ends at offset " + versioned.length);
    }

    @Test
    void theNextVersionIsOneMoreOfTheSameState() {
        EntityState state = new EntityState(5L, new ArrayList<>(), new ArrayList<>());
        VersionedState next = new VersionedState(state, 41).next();
        assertThat(next.version()).isEqualTo(42);
        assertThat(next.state()).isSameAs(state);
    }

    @Test
    void decodesArraysInSeveralBlocksAndBlocksWithNegativeCounts() {
        FieldAccumulator a = accumulator(1, 1.5, "a");
        FieldAccumulator b = accumulator(2, -2.5, 7L);
        FieldAccumulator c = accumulator(3, Double.NaN, true);
        byte[] aBytes = AVRO_ACCUMULATOR.encode(a);
        byte[] bcBytes = concat(AVRO_ACCUMULATOR.encode(b), AVRO_ACCUMULATOR.encode(c));
        byte[] bytes = avroBytes(out -> {
            out.writeLong(99); // latest_event_ts
            // tiles: a block of -2 items and its size in bytes, a block of 1 item, the end
            byte[] firstTwoTiles = avroBytes(tiles -> {
                tiles.writeLong(10); // index
                tiles.writeLong(3); // events
                tiles.writeLong(1); // fields: a block of 1 ...
                tiles.writeFixed(aBytes);
                tiles.writeLong(-2); // ... a block of -2 with its size ...
                tiles.writeLong(bcBytes.length);
                tiles.writeFixed(bcBytes);
                tiles.writeLong(0); // ... the end
                tiles.writeLong(11);
                tiles.writeLong(0);
                tiles.writeLong(0); // no fields
            });
            out.writeLong(-2);
            out.writeLong(firstTwoTiles.length);
            out.writeFixed(firstTwoTiles);
            out.writeLong(1);
            out.writeLong(12);
            out.writeLong(1);
            out.writeLong(-1); // fields: a block of -1
            out.writeLong(aBytes.length);
            out.writeFixed(aBytes);
            out.writeLong(0);
            out.writeLong(0);
            // lifetime: three blocks of one item
            for (FieldAccumulator acc : List.of(c, b, a)) {
                out.writeLong(1);
                out.writeFixed(AVRO_ACCUMULATOR.encode(acc));
            }
            out.writeLong(0);
        });
        EntityState expected = new EntityState(
                99L,
                List.of(
                        new Tile(10L, 3L, List.of(a, b, c)),
                        new Tile(11L, 0L, List.of()),
                        new Tile(12L, 1L, List.of(a))),
                List.of(c, b, a));

        assertSameFields(AVRO.decode(bytes), expected);
        assertSameFields(CODEC.decode(bytes), expected);
        assertThat(CODEC.encode(expected))
                .as("re-encoded as one block per array")
                .isEqualTo(AVRO.encode(expected));
    }

    @Test
    void rejectsMalformedInput() {
        assertThat(CODEC.decode(stateWithFirst(out -> {
                            out.writeIndex(4);
                            out.writeBoolean(true);
                        }))
                        .getLifetime()
                        .get(0)
                        .getFirst())
                .isEqualTo(true);

        assertRejected(stateWithFirst(out -> out.writeIndex(5)))
                .hasMessage("malformed EntityState: FieldAccumulator.first at offset 31 of 36:"
                        + " union branch 5 (the union has branches 0 to 4)");
        assertRejected(stateWithFirst(out -> out.writeIndex(-1))).hasMessageContaining("union branch -1");
        assertRejected(stateWithFirst(out -> {
                    out.writeIndex(4);
                    out.writeFixed(new byte[] {2});
                }))
                .hasMessageContaining("FieldAccumulator.first")
                .hasMessageContaining("boolean byte 2 is neither 0 nor 1");
        assertRejected(stateWithFirst(out -> {
                    out.writeIndex(3);
                    out.writeLong(-1);
                }))
                .hasMessageContaining("negative length -1");
        assertRejected(stateWithFirst(out -> {
                    out.writeIndex(1);
                    out.writeFixed(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1});
                }))
                .hasMessageContaining("varint longer than 10 bytes");
        assertRejected(avroBytes(out -> {
                    out.writeLong(0);
                    out.writeLong(Long.MIN_VALUE);
                }))
                .hasMessageContaining("EntityState.tiles")
                .hasMessageContaining("array block count " + Long.MIN_VALUE);
        assertRejected(avroBytes(out -> {
                    out.writeLong(0);
                    out.writeLong(-1);
                    out.writeLong(-3);
                }))
                .hasMessageContaining("negative array block size -3");
        assertRejected(avroBytes(out -> {
                    out.writeLong(0);
                    out.writeLong(1L << 40);
                }))
                .hasMessageContaining("EntityState.tiles")
                .hasMessageContaining("block of 1099511627776 items");
        byte[] valid = CODEC.encode(new EntityState(1L, List.of(), List.of()));
        assertRejected(concat(valid, new byte[] {0}))
                .hasMessage("malformed EntityState: the record ends at offset 3 but the input has 4 bytes");
    }

    @Test
    void decodesTheRemainingBytesOfAnyBufferWithoutMovingIt() {
        EntityState state = new EntityState(
                7L, List.of(new Tile(1L, 2L, List.of(accumulator(2, 1.5, "x")))), List.of(accumulator(1, 0.0, null)));
        byte[] bytes = CODEC.encode(state);
        byte[] padded = new byte[bytes.length + 5];
        System.arraycopy(bytes, 0, padded, 2, bytes.length);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        for (ByteBuffer buffer : List.of(
                ByteBuffer.wrap(padded, 2, bytes.length),
                ByteBuffer.wrap(padded, 2, bytes.length).slice(),
                ByteBuffer.wrap(padded, 2, bytes.length).asReadOnlyBuffer(),
                direct)) {
            int position = buffer.position();
            assertSameFields(CODEC.decode(buffer), state);
            assertThat(buffer.position()).isEqualTo(position);
        }
        assertThatThrownBy(() -> CODEC.decode(ByteBuffer.wrap(padded, 2, bytes.length - 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("truncated EntityState: the input ends after " + (bytes.length - 1) + " bytes");
        assertThatThrownBy(() -> CODEC.decode(ByteBuffer.wrap(padded, 2, bytes.length + 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("malformed EntityState: the record ends at offset " + bytes.length + " but the input has "
                        + (bytes.length + 1) + " bytes");
    }

    @Test
    void encodesStringsAsStringGetBytesDoesEvenWithUnpairedSurrogates() {
        for (CharSequence s : List.of(
                "",
                "plain",
                "é € 😀",
                "a\uD800b",
                "\uDC00",
                "ends high \uD83D",
                "\uDE00\uD83D",
                new StringBuilder("builder ü"),
                new Utf8("utf8 ü"))) {
            EntityState state = new EntityState(0L, List.of(), List.of(accumulator(1, 0.0, s)));
            assertThat(CODEC.encode(state)).as("%s", s).isEqualTo(AVRO.encode(state));
        }
    }

    @Test
    void encodingLeavesTheSketchBufferAlone() {
        ByteBuffer sketch = ByteBuffer.wrap(new byte[] {9, 1, 2, 3, 9}, 1, 3);
        FieldAccumulator acc = accumulator(1, 0.0, null);
        acc.setDistinct(sketch);
        EntityState state = new EntityState(0L, List.of(), List.of(acc));

        byte[] bytes = CODEC.encode(state);

        assertThat(sketch.position()).isEqualTo(1);
        assertThat(sketch.remaining()).isEqualTo(3);
        ByteBuffer decoded = CODEC.decode(bytes).getLifetime().get(0).getDistinct();
        assertThat(decoded.array()).containsExactly(1, 2, 3);
    }

    @Test
    void rejectsWhatTheSchemaCannotHold() {
        assertThatThrownBy(() -> CODEC.encode(new EntityState(0L, null, List.of())))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("EntityState.tiles is null");
        assertThatThrownBy(() -> CODEC.encode(new EntityState(0L, List.of(new Tile(1L, 1L, null)), List.of())))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("Tile.fields is null");
        List<FieldAccumulator> withNull = new ArrayList<>(List.of(accumulator(1, 0.0, null)));
        withNull.add(null);
        assertThatThrownBy(() -> CODEC.encode(new EntityState(0L, List.of(), withNull)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("EntityState.lifetime[1] is null");
        assertThatThrownBy(() -> CODEC.encode(new EntityState(0L, List.of(), List.of(accumulator(1, 0.0, 7)))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FieldAccumulator.last holds a java.lang.Integer");
    }

    // ---- Generators ----

    @Provide
    Arbitrary<EntityState> states() {
        return StateArbitraries.states();
    }

    // ---- Helpers ----

    private static FieldAccumulator accumulator(long count, double mean, Object last) {
        return new FieldAccumulator(count, mean, 0.0, mean * count, mean, null, 5L, null, 6L, last, null);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
        return assertThatThrownBy(() -> CODEC.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    /** An EntityState with one lifetime accumulator whose {@code first} union is written by {@code first}. */
    private static byte[] stateWithFirst(AvroWrites first) {
        return avroBytes(out -> {
            out.writeLong(0); // latest_event_ts
            out.writeLong(0); // no tiles
            out.writeLong(1); // lifetime: one accumulator
            out.writeLong(0); // count
            out.writeDouble(0); // mean
            out.writeDouble(0); // m2
            out.writeDouble(0); // sum
            out.writeIndex(0); // min
            out.writeIndex(0); // max
            out.writeIndex(0); // first_ts
            first.write(out);
            out.writeIndex(0); // last_ts
            out.writeIndex(0); // last
            out.writeIndex(0); // distinct
            out.writeLong(0); // end of lifetime
        });
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
