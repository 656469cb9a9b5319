package io.fathom.schemas;

import static io.fathom.schemas.CodecChecks.assertEveryTruncationRejected;
import static io.fathom.schemas.CodecChecks.assertSameFields;
import static io.fathom.schemas.CodecChecks.assertWrittenFor;
import static io.fathom.schemas.CodecChecks.avroBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.util.Utf8;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** {@link SnapshotCodec}, held to Avro's own {@code SpecificDatumWriter} and {@code SpecificDatumReader}. */
class SnapshotCodecTest {
    private static final SnapshotCodec CODEC = new SnapshotCodec();
    private static final EntityStateCodec STATES = new EntityStateCodec();
    private static final AvroCodec<FeatureSnapshot> AVRO = AvroCodec.of(FeatureSnapshot.getClassSchema());
    private static final AvroCodec<EntityState> AVRO_STATE = AvroCodec.of(EntityState.getClassSchema());
    private static final EncodedState EMPTY_STATE =
            STATES.encode(new VersionedState(new EntityState(0L, List.of(), List.of()), 0));

    @Test
    void theCodecWasWrittenForThisSchema() {
        assertWrittenFor(
                FeatureSnapshot.getClassSchema(),
                SnapshotCodec.SCHEMA_FINGERPRINT,
                "FeatureSnapshot.avsc changed: update SnapshotCodec's field order (and FeatureValues' union"
                        + " branches) to match, then set SnapshotCodec.SCHEMA_FINGERPRINT to 0x%xL");
    }

    @Property(tries = 500)
    void splicesExactlyWhatAvroWrites(@ForAll("snapshots") FeatureSnapshot snapshot) {
        byte[] avro = AVRO.encode(snapshot);

        byte[] spliced = CODEC.encode(
                snapshot.getView(),
                snapshot.getEntityKey(),
                snapshot.getEventTs(),
                snapshot.getCreatedTs(),
                STATES.encode(new VersionedState(snapshot.getState(), snapshot.getVersion())),
                snapshot.getValues());

        assertThat(spliced).isEqualTo(avro);
        assertSameSnapshot(AVRO.decode(spliced), snapshot);
    }

    @Property(tries = 500)
    void slicesWhatAvroWrites(@ForAll("snapshots") FeatureSnapshot snapshot) {
        byte[] avro = AVRO.encode(snapshot);

        SlicedSnapshot sliced = CODEC.decode(avro);

        assertThat(sliced.view()).isEqualTo(snapshot.getView());
        assertThat(sliced.entityKey()).isEqualTo(snapshot.getEntityKey());
        assertThat(sliced.eventTs()).isEqualTo(snapshot.getEventTs());
        assertThat(sliced.createdTs()).isEqualTo(snapshot.getCreatedTs());
        assertThat(sliced.version()).isEqualTo(snapshot.getVersion());
        assertThat(bytesOf(sliced.state())).isEqualTo(AVRO_STATE.encode(snapshot.getState()));
        assertSameFields(sliced.decodeState(), snapshot.getState());
        assertSameFields(sliced.values().toMap(), snapshot.getValues());
        assertThat(sliced.values().toAvro())
                .isEqualTo(FeatureValues.of(snapshot.getValues()).toAvro());
        assertThat(CODEC.encode(sliced)).as("re-encoded, bit for bit").isEqualTo(avro);
    }

    /** forEach hands over what toMap holds, in the same order, each value by its own type. */
    @Property(tries = 500)
    void visitsWhatItDecodes(@ForAll("snapshots") FeatureSnapshot snapshot) {
        FeatureValues values = CODEC.decode(AVRO.encode(snapshot)).values();

        assertThat(visited(values, new FeatureNames()))
                .containsExactlyElementsOf(values.toMap().entrySet());
    }

    /** One name cache across snapshots of other names, or the same names in another order, changes nothing. */
    @Property(tries = 200)
    void aSharedNameCacheHandsOverEachSnapshotsOwnNames(
            @ForAll("snapshots") FeatureSnapshot first, @ForAll("snapshots") FeatureSnapshot second) {
        FeatureNames names = new FeatureNames();
        for (FeatureSnapshot snapshot : List.of(first, second, first, second)) {
            FeatureValues values = CODEC.decode(AVRO.encode(snapshot)).values();
            assertThat(visited(values, names))
                    .containsExactlyElementsOf(values.toMap().entrySet());
        }
    }

    private static List<Map.Entry<String, Object>> visited(FeatureValues values, FeatureNames names) {
        List<Map.Entry<String, Object>> visited = new ArrayList<>();
        values.forEach(
                new FeatureValues.Visitor() {
                    @Override
                    public void onNull(String name) {
                        visited.add(new AbstractMap.SimpleEntry<>(name, null));
                    }

                    @Override
                    public void onLong(String name, long value) {
                        visited.add(Map.entry(name, value));
                    }

                    @Override
                    public void onDouble(String name, double value) {
                        visited.add(Map.entry(name, value));
                    }

                    @Override
                    public void onString(String name, String value) {
                        visited.add(Map.entry(name, value));
                    }

                    @Override
                    public void onBoolean(String name, boolean value) {
                        visited.add(Map.entry(name, value));
                    }
                },
                names);
        return visited;
    }

    /**
     * Every truncation is rejected but one: cut exactly before its version, a snapshot is one written before
     * versions existed, and reads as version 0.
     */
    @Property(tries = 100)
    void everyTruncationButTheOneBeforeTheVersionIsRejected(@ForAll("snapshots") FeatureSnapshot snapshot) {
        byte[] bytes = AVRO.encode(snapshot);
        int withoutVersion = bytes.length - BinaryWriter.varLongSize(snapshot.getVersion());

        assertEveryTruncationRejected(Arrays.copyOf(bytes, withoutVersion), CODEC::decode, "FeatureSnapshot");
        assertThat(CODEC.decode(Arrays.copyOf(bytes, withoutVersion)).version()).isZero();
        for (int length = withoutVersion + 1; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertRejected(cut).hasMessageStartingWith("truncated FeatureSnapshot: the input ends after " + length);
        }
    }

    /** Whatever the bytes, decode names what was wrong or reads what Avro reads (as the old schema, if need be). */
    @Property(tries = 2000)
    void garbageIsRejectedWithAMessageOrReadAsAvroReadsIt(@ForAll("garbage") byte[] bytes) {
        SlicedSnapshot sliced;
        try {
            sliced = CODEC.decode(bytes);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).containsPattern("^(truncated|malformed) FeatureSnapshot: ");
            return;
        }
        FeatureSnapshot avro = avroRead(bytes);
        assertThat(sliced.view()).isEqualTo(avro.getView());
        assertThat(sliced.eventTs()).isEqualTo(avro.getEventTs());
        assertThat(sliced.version()).isEqualTo(avro.getVersion());
        assertSameFields(sliced.decodeState(), avro.getState());
        assertSameFields(sliced.values().toMap(), avro.getValues());
    }

    @Test
    void snapshotsWrittenBeforeVersionsReadAsVersionZero() throws IOException {
        Schema before = FeatureSnapshotHistory.version(1);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(FeatureSnapshot.getClassSchema(), before)
                        .getType())
                .as("today's schema reads snapshots of the first")
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        FeatureSnapshot today = snapshot(Map.of("n", 1L));
        GenericRecord old = new GenericData.Record(before);
        old.put("view", "v");
        old.put("entity_key", "k");
        old.put("event_ts", 1L);
        old.put("created_ts", 2L);
        old.put("state", GenericData.get().deepCopy(EntityState.getClassSchema(), today.getState()));
        old.put("values", Map.of("n", 1L));
        byte[] bytes = FeatureSnapshotHistory.write(before, old);

        SlicedSnapshot sliced = CODEC.decode(bytes);

        assertThat(sliced.version()).isZero();
        assertThat(sliced.eventTs()).isEqualTo(1L);
        assertThat(sliced.values().toMap()).containsExactly(Map.entry("n", 1L));
        assertSameFields(sliced.decodeState(), today.getState());
        assertThat(FeatureSnapshotHistory.read(before, bytes).getVersion())
                .as("Avro's schema resolution agrees")
                .isZero();
        assertThat(CODEC.encode(sliced)).as("written again, with version 0").isEqualTo(AVRO.encode(today));
    }

    @Test
    void theVersionIsWrittenLast() {
        EntityState state = snapshot(Map.of()).getState();

        byte[] bytes = CODEC.encode("v", "k", 1L, 2L, STATES.encode(new VersionedState(state, 300)), Map.of());

        FeatureSnapshot avro = AVRO.decode(bytes);
        assertThat(avro.getVersion()).isEqualTo(300);
        assertSameFields(avro.getState(), state);
        assertThat(bytes).endsWith(avroBytes(out -> out.writeLong(300)));
        assertThat(CODEC.decode(bytes).version()).isEqualTo(300);
    }

    @Test
    void readsMapsInSeveralBlocksAndBlocksWithNegativeCounts() {
        byte[] state = STATES.encode(new EntityState(5L, List.of(), List.of()));
        byte[] firstTwo = avroBytes(out -> {
            out.writeString("a");
            out.writeIndex(1);
            out.writeLong(7);
            out.writeString("b");
            out.writeIndex(0);
        });
        byte[] bytes = avroBytes(out -> {
            out.writeString("v");
            out.writeString("k");
            out.writeLong(5);
            out.writeLong(6);
            out.writeFixed(state);
            out.writeLong(-2); // a block of two entries, with its size
            out.writeLong(firstTwo.length);
            out.writeFixed(firstTwo);
            out.writeLong(1); // a block of one
            out.writeString("c");
            out.writeIndex(3);
            out.writeString("FR");
            out.writeLong(0);
            out.writeLong(9); // version
        });
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", 7L);
        expected.put("b", null);
        expected.put("c", "FR");

        SlicedSnapshot sliced = CODEC.decode(bytes);

        assertThat(AVRO.decode(bytes).getValues()).isEqualTo(expected);
        assertThat(sliced.values().toMap()).containsExactlyEntriesOf(expected);
        assertThat(sliced.version()).isEqualTo(9);
        assertThat(bytesOf(sliced.state())).isEqualTo(state);
        assertThat(CODEC.encode(sliced)).as("kept as it was read").isEqualTo(bytes);
    }

    @Test
    void rejectsMalformedInputNamingTheFieldAndTheOffset() {
        byte[] valid = AVRO.encode(snapshot(Map.of("n", 1L)));
        assertRejected(Arrays.copyOf(valid, valid.length + 1))
                .hasMessage("malformed FeatureSnapshot: the record ends at offset " + valid.length
                        + " but the input has " + (valid.length + 1) + " bytes");
        assertRejected(new byte[] {3})
                .hasMessage("malformed FeatureSnapshot: FeatureSnapshot.view at offset 0 of 1: negative length -2");
        assertRejected(new byte[] {2, 'v', 2, 'k'})
                .hasMessage("truncated FeatureSnapshot: the input ends after 4 bytes, inside FeatureSnapshot.event_ts"
                        + " at offset 4");
        assertRejected(avroBytes(out -> {
                    header(out);
                    out.writeLong(0); // latest_event_ts
                    out.writeLong(1); // one tile ...
                    out.writeLong(1);
                    out.writeLong(1);
                    out.writeLong(1L << 40); // ... with a field count no input could hold
                }))
                .hasMessageContaining("inside Tile.fields")
                .hasMessageContaining("block of 1099511627776 items");
        assertRejected(avroBytes(out -> {
                    header(out);
                    emptyState(out);
                    out.writeLong(1);
                    out.writeString("n");
                    out.writeIndex(5);
                }))
                .hasMessage("malformed FeatureSnapshot: FeatureSnapshot.values at offset 12 of 13: union branch 5"
                        + " (the union has branches 0 to 4)");
        assertRejected(avroBytes(out -> {
                    header(out);
                    emptyState(out);
                    out.writeLong(1);
                    out.writeString("flag");
                    out.writeIndex(4);
                    out.writeFixed(new byte[] {2});
                    out.writeLong(0);
                }))
                .hasMessageContaining("FeatureSnapshot.values")
                .hasMessageContaining("boolean byte 2 is neither 0 nor 1");
        assertRejected(avroBytes(out -> {
                    header(out);
                    emptyState(out);
                    out.writeLong(Long.MIN_VALUE);
                }))
                .hasMessageContaining("array block count " + Long.MIN_VALUE);
        assertThatThrownBy(() -> CODEC.decode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void encodesNullValuesAndEveryValueTypeAndRejectsOthersNamingTheFeature() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("null", null);
        values.put("long", Long.MIN_VALUE);
        values.put("double", Double.NaN);
        values.put("string", "é € 😀");
        values.put("utf8", new Utf8("ü"));
        values.put("builder", new StringBuilder("sb"));
        values.put("true", true);
        values.put("false", false);
        FeatureSnapshot snapshot = snapshot(values);

        byte[] bytes =
                CODEC.encode("v", "k", 1L, 2L, STATES.encode(new VersionedState(snapshot.getState(), 0)), values);

        assertThat(bytes).isEqualTo(AVRO.encode(snapshot));
        Map<String, Object> decoded = CODEC.decode(bytes).values().toMap();
        assertThat(decoded.get("utf8")).isEqualTo("ü");
        assertThat(decoded.get("builder")).isEqualTo("sb");
        assertThat(decoded).containsEntry("null", null).containsEntry("false", false);

        assertThatThrownBy(() -> CODEC.encode("v", "k", 1L, 2L, EMPTY_STATE, Map.of("amount", 7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("feature amount holds a java.lang.Integer (7)");
        Map<String, Object> nullName = new HashMap<>();
        nullName.put(null, 1L);
        assertThatThrownBy(() -> CODEC.encode("v", "k", 1L, 2L, EMPTY_STATE, nullName))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("a feature name is null");
        assertThatThrownBy(() -> CODEC.encode(null, "k", 1L, 2L, EMPTY_STATE, Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("view");
    }

    @Test
    void theSlicedStateIsAReadOnlyViewOfTheInput() {
        byte[] bytes = AVRO.encode(snapshot(Map.of()));
        SlicedSnapshot sliced = CODEC.decode(bytes);

        ByteBuffer state = sliced.state();
        assertThat(state.isReadOnly()).isTrue();
        assertThat(state.position()).isZero();
        state.get(); // moving one view's position moves no other
        assertThat(sliced.state().position()).isZero();
        assertThat(bytesOf(sliced.state()))
                .isEqualTo(STATES.encode(snapshot(Map.of()).getState()));

        assertThat(new SlicedSnapshot(
                        "v", "k", 1L, 2L, ByteBuffer.wrap(bytesOf(sliced.state())), sliced.values(), sliced.version()))
                .as("equal by content")
                .isEqualTo(sliced);
    }

    @Test
    void featureValuesRoundTripThroughTheirEncoding() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("a", 1L);
        values.put("b", null);
        values.put("c", 2.5);
        FeatureValues encoded = FeatureValues.of(values);

        assertThat(FeatureValues.fromAvro(encoded.toAvro())).isEqualTo(encoded);
        assertThat(FeatureValues.fromAvro(encoded.toAvro()).toMap()).containsExactlyEntriesOf(values);
        assertThat(encoded.encodedSize()).isEqualTo(encoded.toAvro().length);
        assertThat(FeatureValues.of(Map.of()).toMap()).isEmpty();
        assertThat(FeatureValues.of(Map.of()).toAvro()).containsExactly(0);
        assertThat(encoded).hasToString("{a=1, b=null, c=2.5}");
        byte[] framed = new byte[encoded.encodedSize() + 3];
        System.arraycopy(encoded.toAvro(), 0, framed, 2, encoded.encodedSize());
        assertThat(FeatureValues.fromAvro(framed, 2, encoded.encodedSize())).isEqualTo(encoded);
        assertThatThrownBy(() -> FeatureValues.fromAvro(framed, 2, encoded.encodedSize() + 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed feature values: the record ends at offset " + encoded.encodedSize());
        byte[] cut = Arrays.copyOf(encoded.toAvro(), encoded.encodedSize() - 1);
        assertThatThrownBy(() -> FeatureValues.fromAvro(cut))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("truncated feature values: the input ends after " + cut.length + " bytes");
    }

    // ---- Generators ----

    @Provide
    Arbitrary<FeatureSnapshot> snapshots() {
        return Combinators.combine(
                        StateArbitraries.strings(),
                        StateArbitraries.strings(),
                        StateArbitraries.longs(),
                        StateArbitraries.longs(),
                        StateArbitraries.states(),
                        StateArbitraries.valueMaps(),
                        StateArbitraries.longs())
                .as(FeatureSnapshot::new);
    }

    /** Random bytes, and valid snapshots with a few bytes overwritten. */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        Arbitrary<byte[]> damaged = Combinators.combine(
                        snapshots(),
                        Arbitraries.integers()
                                .between(0, Integer.MAX_VALUE)
                                .list()
                                .ofMinSize(1)
                                .ofMaxSize(3),
                        Arbitraries.bytes())
                .as((snapshot, positions, value) -> {
                    byte[] bytes = AVRO.encode(snapshot);
                    for (int position : positions) {
                        bytes[position % bytes.length] = value;
                    }
                    return bytes;
                });
        return Arbitraries.oneOf(random, damaged);
    }

    // ---- Helpers ----

    private static FeatureSnapshot snapshot(Map<String, Object> values) {
        FieldAccumulator acc = new FieldAccumulator(1L, 2.0, 0.0, 2.0, 2.0, 2.0, 1L, "a", 1L, true, null);
        EntityState state = new EntityState(1L, List.of(new Tile(0L, 1L, List.of(acc))), List.of(acc));
        return new FeatureSnapshot("v", "k", 1L, 2L, state, new LinkedHashMap<>(values), 0L);
    }

    private static byte[] bytesOf(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static void assertSameSnapshot(FeatureSnapshot actual, FeatureSnapshot expected) {
        assertThat(actual.getView()).isEqualTo(expected.getView());
        assertThat(actual.getEntityKey()).isEqualTo(expected.getEntityKey());
        assertThat(actual.getEventTs()).isEqualTo(expected.getEventTs());
        assertThat(actual.getCreatedTs()).isEqualTo(expected.getCreatedTs());
        assertSameFields(actual.getState(), expected.getState());
        assertSameFields(actual.getValues(), expected.getValues());
        assertThat(actual.getVersion()).isEqualTo(expected.getVersion());
    }

    /** What Avro reads: as today's schema, or, for bytes that end before the version, as the first one. */
    private static FeatureSnapshot avroRead(byte[] bytes) {
        try {
            return AVRO.decode(bytes);
        } catch (IllegalArgumentException e) {
            return FeatureSnapshotHistory.read(FeatureSnapshotHistory.version(1), bytes);
        }
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] bytes) {
        return assertThatThrownBy(() -> CODEC.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
    }

    /** view "v", entity key "k", event_ts 5, created_ts 6: bytes 0 to 5. */
    private static void header(BinaryEncoder out) throws IOException {
        out.writeString("v");
        out.writeString("k");
        out.writeLong(5);
        out.writeLong(6);
    }

    /** latest_event_ts 5, no tiles, no lifetime accumulators: bytes 6 to 8. */
    private static void emptyState(BinaryEncoder out) throws IOException {
        out.writeLong(5);
        out.writeLong(0);
        out.writeLong(0);
    }
}
