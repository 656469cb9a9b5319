package io.fathom.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fathom.core.EntityKey;
import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.core.InvalidEventException.Reason;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.Definitions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Fuzzed bytes through every event decoder and on through what ingest does with an event (event time, entity key,
 * the view's aggregation): whatever the bytes, the outcome is a state update or an {@link InvalidEventException} with a
 * reason and a message — which ingest turns into a dead-letter record — and never another exception, which would stop
 * the stream thread. Inputs: random bytes, valid JSON and Avro events cut short, with bytes flipped or inserted, and
 * JSON events whose fields hold values of every shape (huge numbers, NaN, nested objects and arrays, booleans, nulls).
 */
class EventDecoderFuzzTest {
    private static final ViewDefinition VIEW = Definitions.userTxn();
    private static final EntityDefinition USER = new EntityDefinition("user", List.of("user_id"));
    private static final Set<String> NEEDED = Set.of("user_id", "merchant", "amount", "country", "event_time");
    private static final Map<EventFormat, EventDecoder> DECODERS = Map.of(
            EventFormat.JSON, decoder(EventFormat.JSON),
            EventFormat.AVRO, decoder(EventFormat.AVRO),
            EventFormat.AVRO_REGISTRY, decoder(EventFormat.AVRO_REGISTRY));

    @Property(tries = 3000)
    void everyInputBecomesAStateUpdateOrARejectionWithAReason(
            @ForAll EventFormat format, @ForAll("inputs") byte[] input) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(VIEW));
        EntityState state = aggregator.newState();
        EntityState before = aggregator.copy(state);
        InvalidEventException rejected = catchThrowableOfType(
                () -> {
                    Map<String, Object> fields = DECODERS.get(format).decode(input);
                    assertThat(fields.values()).allSatisfy(EventDecoderFuzzTest::assertPlain);
                    long ts = EventTimes.parse(fields.get("event_time"));
                    EntityKey.of(USER, fields);
                    aggregator.add(state, ts, fields, Long.MIN_VALUE);
                },
                InvalidEventException.class);
        if (rejected != null) {
            assertThat(rejected.reason()).isNotNull();
            assertThat(rejected.getMessage()).isNotBlank();
            assertThat(state).as("a rejected event changes nothing").isEqualTo(before);
        }
    }

    /** The malformed JSON events of the hardening issue's demo run, each with the reason it must be dead-lettered for. */
    @Example
    void eachMalformedJsonEventIsRejectedForItsReason() {
        Map<String, Reason> cases = Map.ofEntries(
                Map.entry("{\"user_id\": 1, \"amount\": 5.0, \"event_time\": 17", Reason.UNDECODABLE),
                Map.entry("", Reason.UNDECODABLE),
                Map.entry("\u00ff\u00fe garbage \u0000", Reason.UNDECODABLE),
                Map.entry("[1, 2, 3]", Reason.UNDECODABLE),
                Map.entry("{\"user_id\": 1, \"event_time\": 17} {\"user_id\": 2}", Reason.UNDECODABLE),
                Map.entry("{\"user_id\": 1, \"amount\": NaN, \"event_time\": 17}", Reason.UNDECODABLE),
                Map.entry("{\"user_id\": 1, \"user_id\": 2, \"event_time\": 17}", Reason.UNDECODABLE),
                Map.entry("{\"user_id\": {\"id\": 1}, \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": [1, 2], \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": true, \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": 1, \"amount\": 1e400, \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": 1, \"amount\": \"12.5\", \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": 1, \"amount\": {\"value\": 3}, \"event_time\": 17}", Reason.WRONG_TYPE),
                Map.entry("{\"user_id\": 1, \"event_time\": \"yesterday\"}", Reason.BAD_TIMESTAMP),
                Map.entry("{\"user_id\": 1, \"amount\": 2.0}", Reason.MISSING_TIMESTAMP),
                Map.entry("{\"amount\": 2.0, \"event_time\": 17}", Reason.MISSING_KEY));
        cases.forEach((json, reason) -> {
            TileAggregator aggregator = new TileAggregator(ViewPlan.of(VIEW));
            InvalidEventException rejected = catchThrowableOfType(
                    () -> {
                        Map<String, Object> fields =
                                DECODERS.get(EventFormat.JSON).decode(json.getBytes(StandardCharsets.UTF_8));
                        long ts = EventTimes.parse(fields.get("event_time"));
                        EntityKey.of(USER, fields);
                        aggregator.add(aggregator.newState(), ts, fields, Long.MIN_VALUE);
                    },
                    InvalidEventException.class);
            assertThat(rejected).as(json).isNotNull();
            assertThat(rejected.reason()).as(json).isEqualTo(reason);
        });
    }

    /** The input the fuzzer found: a string whose length (2^31 - 2) Avro refuses with UnsupportedOperationException. */
    @Example
    void anAvroStringLongerThanAvroReadsIsUndecodable() {
        byte[] registryFramed = {0, 0, 0, 0, 42, 4, 14, (byte) 0xFC, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'x'};
        InvalidEventException rejected = catchThrowableOfType(
                () -> DECODERS.get(EventFormat.AVRO_REGISTRY).decode(registryFramed), InvalidEventException.class);
        assertThat(rejected).isNotNull();
        assertThat(rejected.reason()).isEqualTo(Reason.UNDECODABLE);
    }

    @Example
    void aNestedKeyIsNamedInTheMessage() {
        InvalidEventException rejected = catchThrowableOfType(
                () -> DECODERS.get(EventFormat.JSON)
                        .decode("{\"user_id\": {\"id\": 1}, \"event_time\": 17}".getBytes(StandardCharsets.UTF_8)),
                InvalidEventException.class);
        assertThat(rejected).isNotNull();
        assertThat(rejected.getMessage())
                .isEqualTo("field user_id is a JSON object, expected a number, string or boolean");
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                mutated(jsonEvents()),
                mutated(avroEvents()),
                jsonEvents());
    }

    private static Arbitrary<byte[]> jsonEvents() {
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of(
                        "null",
                        "true",
                        "NaN",
                        "-Infinity",
                        "1e400",
                        "-1e400",
                        "123456789012345678901234567890",
                        "{}",
                        "{\"a\": {\"b\": [1, 2]}}",
                        "[]",
                        "[1, \"x\"]",
                        "\"\"",
                        "\"2026-12-07T10:00:00Z\"",
                        "\"\\u0000\"",
                        "\"\\ud800\""),
                Arbitraries.strings()
                        .ofMaxLength(12)
                        .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""));
        Arbitrary<String> name = Arbitraries.of("user_id", "merchant", "amount", "country", "event_time", "other");
        return Combinators.combine(name, value)
                .as((n, v) -> "\"" + n + "\": " + v)
                .list()
                .ofMaxSize(8)
                .map(fields -> ("{" + String.join(", ", fields) + "}").getBytes(StandardCharsets.UTF_8));
    }

    private static Arbitrary<byte[]> avroEvents() {
        Arbitrary<GenericRecord> records = Combinators.combine(
                        Arbitraries.longs(),
                        Arbitraries.strings().ofMaxLength(10),
                        Arbitraries.doubles().injectNull(0.2),
                        Arbitraries.longs())
                .as((user, merchant, amount, time) -> {
                    GenericRecord record = new GenericData.Record(Definitions.TRANSACTION);
                    record.put("user_id", user);
                    record.put("merchant_id", 7L);
                    record.put("merchant", merchant);
                    record.put("amount", amount);
                    record.put("country", "DE");
                    record.put("event_time", time);
                    return record;
                });
        return Combinators.combine(records, Arbitraries.of(true, false))
                .as((record, singleObject) -> singleObject ? singleObject(record) : registryFramed(record));
    }

    /** An input cut short, with bytes flipped, or with random bytes put in, or left as it is. */
    private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> valid) {
        return Combinators.combine(valid, Arbitraries.integers().between(0, 3), Arbitraries.randomValue(r -> r))
                .as((bytes, how, random) -> {
                    if (bytes.length == 0) {
                        return bytes;
                    }
                    byte[] out = bytes.clone();
                    int at = random.nextInt(out.length);
                    return switch (how) {
                        case 0 -> Arrays.copyOf(out, at);
                        case 1 -> {
                            for (int i = 0; i < 1 + random.nextInt(4); i++) {
                                out[random.nextInt(out.length)] = (byte) random.nextInt(256);
                            }
                            yield out;
                        }
                        case 2 -> {
                            byte[] noise = new byte[1 + random.nextInt(8)];
                            random.nextBytes(noise);
                            ByteBuffer joined = ByteBuffer.allocate(out.length + noise.length);
                            yield joined.put(out, 0, at)
                                    .put(noise)
                                    .put(out, at, out.length - at)
                                    .array();
                        }
                        default -> out;
                    };
                });
    }

    private static void assertPlain(Object value) {
        assertThat(value == null
                        || value instanceof Long
                        || value instanceof Double
                        || value instanceof String
                        || value instanceof Boolean)
                .as("decoded value %s (%s)", value, value == null ? null : value.getClass())
                .isTrue();
    }

    private static EventDecoder decoder(EventFormat format) {
        SourceDefinition source = new SourceDefinition(
                "transactions",
                "transactions",
                format,
                format == EventFormat.JSON ? Optional.empty() : Optional.of(Definitions.TRANSACTION),
                "event_time");
        return EventDecoders.forSource(source, NEEDED);
    }

    private static byte[] singleObject(GenericRecord record) {
        try {
            return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), Definitions.TRANSACTION)
                    .encode(record)
                    .array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] registryFramed(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {0, 0, 0, 0, 42});
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(Definitions.TRANSACTION).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
