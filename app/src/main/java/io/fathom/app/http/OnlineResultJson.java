package io.fathom.app.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.online.EntityResult;
import io.fathom.online.FeatureStatus;
import io.fathom.online.OnlineResult;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The body of {@code POST /v1/features/online}: an {@link OnlineResult} written with Jackson's streaming {@link
 * JsonGenerator} straight into the response's output stream, byte for byte what {@code ctx.json} sent before (the
 * {@code ObjectMapper}'s {@code String} for the record, encoded as UTF-8; a test holds it to that), without the
 * bean serializers' per-value lookups, the intermediate {@code String}, its re-encoding and the copies of the whole
 * answer.
 *
 * <p>Why: a read of 100 entities × 50 features answers 15,000 values, statuses and event times. Serialised through
 * {@code ctx.json}, that was the largest single cost of the request in the profile (benchmarks/README.md, "Online
 * read latency and throughput"). Property names and statuses are pre-encoded, and a row's statuses and event
 * times, which are the same for every feature of a view (one snapshot per entity and view), are written as one
 * pre-built array when they are all equal. Values of the types features have ({@code Long}, {@code Double}, {@code
 * String}, {@code Boolean}, null) and key values ({@code Integer}, {@code Long}, {@code String}) are written
 * directly, anything else through the mapper, as databind would.
 *
 * <p>A double's text is formatted once per answer ({@link DoubleTexts}): after the state decode, JDK 17's {@code
 * Double.toString} was the largest single cost of a 100-entity answer (a fifth of the request threads' samples),
 * and an answer repeats the same doubles — the windows of one aggregation hold the same tiles whenever an entity
 * had no events between their starts (a 1-day and a 7-day sum of an entity active only today), and amounts and
 * maxima recur across entities. The text of a double is a function of its bits, so the bytes are the same.
 */
final class OnlineResultJson {
    private static final SerializableString FEATURES = new SerializedString("features");
    private static final SerializableString RESULTS = new SerializedString("results");
    private static final SerializableString READ_AT = new SerializedString("read_at");
    private static final SerializableString ENTITY = new SerializedString("entity");
    private static final SerializableString VALUES = new SerializedString("values");
    private static final SerializableString STATUSES = new SerializedString("statuses");
    private static final SerializableString EVENT_TIMESTAMPS = new SerializedString("event_timestamps");
    private static final SerializableString[] STATUS_NAMES = statusNames();

    /** Rows at most this wide have their uniform statuses array cached (3 statuses × 257 widths at most). */
    private static final int MAX_CACHED_WIDTH = 256;

    private final JsonFactory factory;
    /** By status and width; slots published with volatile semantics, each filled by whichever thread gets there. */
    private final AtomicReferenceArray<SerializableString> sameStatuses =
            new AtomicReferenceArray<>(FeatureStatus.values().length * (MAX_CACHED_WIDTH + 1));

    /**
     * @param mapper the server's mapper: its factory's features, and the mapper itself for values of other types.
     *     Characters outside the Basic Multilingual Plane are written as their 4-byte UTF-8 sequences, as the
     *     mapper's {@code String} output encoded as UTF-8 has them, not as escaped surrogate pairs
     */
    OnlineResultJson(ObjectMapper mapper) {
        Objects.requireNonNull(mapper, "mapper");
        this.factory = mapper.getFactory()
                .rebuild()
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build()
                .setCodec(mapper);
    }

    /**
     * Writes the JSON of {@code result}, UTF-8, to {@code out} in the generator's chunks (8,000 bytes); neither
     * flushes nor closes it. Not flushing lets the server finish the response: an answer that fits its buffer goes
     * out in one write with a {@code Content-Length}, not as a chunk followed by the terminating chunk in a second
     * write (the JDK {@code HttpClient} under load sometimes read that late terminator on a pooled connection and
     * closed it: "header parser received no bytes").
     */
    void write(OnlineResult result, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            boolean raw = writesNumbersAsText(json);
            write(json, result, raw ? new RepeatedNumber() : null, raw ? new DoubleTexts() : null);
        }
    }

    private void write(JsonGenerator json, OnlineResult result, RepeatedNumber times, DoubleTexts doubles)
            throws IOException {
        json.writeStartObject();
        json.writeFieldName(FEATURES);
        List<String> features = result.features();
        json.writeStartArray(features, features.size());
        for (String feature : features) {
            json.writeString(feature);
        }
        json.writeEndArray();
        json.writeFieldName(RESULTS);
        List<EntityResult> results = result.results();
        json.writeStartArray(results, results.size());
        for (EntityResult row : results) {
            write(json, row, times, doubles);
        }
        json.writeEndArray();
        json.writeFieldName(READ_AT);
        json.writeNumber(result.readAt());
        json.writeEndObject();
    }

    private void write(JsonGenerator json, EntityResult row, RepeatedNumber times, DoubleTexts doubles)
            throws IOException {
        json.writeStartObject();
        json.writeFieldName(ENTITY);
        json.writeStartObject(row.entity());
        for (Map.Entry<String, Object> key : row.entity().entrySet()) {
            json.writeFieldName(key.getKey());
            value(json, key.getValue(), null);
        }
        json.writeEndObject();

        json.writeFieldName(VALUES);
        List<Object> values = row.values();
        int size = values.size();
        json.writeStartArray(values, size);
        for (int i = 0; i < size; i++) {
            value(json, values.get(i), doubles);
        }
        json.writeEndArray();

        json.writeFieldName(STATUSES);
        List<FeatureStatus> statuses = row.statuses();
        FeatureStatus status = size == 0 ? null : statuses.get(0);
        if (status != null && size <= MAX_CACHED_WIDTH && allSame(statuses, status)) {
            json.writeRawValue(sameStatuses(status, size));
        } else {
            json.writeStartArray(statuses, size);
            for (int i = 0; i < size; i++) {
                json.writeString(STATUS_NAMES[statuses.get(i).ordinal()]);
            }
            json.writeEndArray();
        }

        json.writeFieldName(EVENT_TIMESTAMPS);
        List<Long> eventTimestamps = row.eventTimestamps();
        Long eventTs = size == 0 ? null : eventTimestamps.get(0);
        if (times != null && eventTs != null && allSame(eventTimestamps, eventTs)) {
            json.writeRawValue(times.of(eventTs, size));
        } else {
            json.writeStartArray(eventTimestamps, size);
            for (int i = 0; i < size; i++) {
                Long time = eventTimestamps.get(i);
                if (time == null) {
                    json.writeNull();
                } else {
                    json.writeNumber(time.longValue());
                }
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /**
     * Whether {@code json} writes a number as its text, as the raw forms ({@link RepeatedNumber}, {@link DoubleTexts})
     * do: not as a string ({@code WRITE_NUMBERS_AS_STRINGS}), and a double as {@code Double.toString} does, not with
     * Jackson's own formatter ({@code USE_FAST_DOUBLE_WRITER}). The server's mapper does; otherwise every number goes
     * through the generator.
     */
    private static boolean writesNumbersAsText(JsonGenerator json) {
        return !json.isEnabled(JsonWriteFeature.WRITE_NUMBERS_AS_STRINGS.mappedFeature())
                && !json.isEnabled(StreamWriteFeature.USE_FAST_DOUBLE_WRITER);
    }

    private static boolean allSame(List<?> items, Object first) {
        for (int i = 1, size = items.size(); i < size; i++) {
            Object item = items.get(i);
            if (item != first && !first.equals(item)) {
                return false;
            }
        }
        return true;
    }

    /** {@code ["PRESENT","PRESENT",...]}, {@code size} times, pre-encoded once per status and width. */
    private SerializableString sameStatuses(FeatureStatus status, int size) {
        int slot = status.ordinal() * (MAX_CACHED_WIDTH + 1) + size;
        SerializableString array = sameStatuses.get(slot);
        if (array == null) {
            StringBuilder text = new StringBuilder(2 + size * (status.name().length() + 3));
            text.append('[');
            for (int i = 0; i < size; i++) {
                text.append(i == 0 ? "\"" : ",\"").append(status.name()).append('"');
            }
            array = new SerializedString(text.append(']').toString());
            array.asUnquotedUTF8(); // encoded before it is shared
            sameStatuses.set(slot, array); // threads that race build the same value
        }
        return array;
    }

    /** Writes one value; {@code doubles}, when not null, formats finite doubles (see {@link DoubleTexts}). */
    private static void value(JsonGenerator json, Object value, DoubleTexts doubles) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Double number) {
            double d = number.doubleValue();
            if (doubles != null && Double.isFinite(d)) {
                json.writeRawValue(doubles.of(d));
            } else {
                json.writeNumber(d);
            }
        } else if (value instanceof Long number) {
            json.writeNumber(number.longValue());
        } else if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Integer number) {
            json.writeNumber(number.intValue());
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else {
            json.writeObject(value); // through the mapper, as databind writes it
        }
    }

    private static SerializableString[] statusNames() {
        FeatureStatus[] statuses = FeatureStatus.values();
        SerializableString[] names = new SerializableString[statuses.length];
        for (FeatureStatus status : statuses) {
            names[status.ordinal()] = new SerializedString(status.name());
        }
        return names;
    }

    /**
     * {@code [n,n,...]}: a JSON array of one number repeated, as raw ASCII for {@link
     * JsonGenerator#writeRawValue(SerializableString)}. The number is formatted once and its digits copied; one
     * buffer serves every row of an answer.
     */
    private static final class RepeatedNumber extends RawAscii {
        private byte[] array = new byte[1024];

        /** This array of {@code count} times {@code number}, replacing what it held. */
        RepeatedNumber of(long number, int count) {
            byte[] digits = Long.toString(number).getBytes(StandardCharsets.US_ASCII);
            int step = digits.length + 1;
            int length = 1 + count * step;
            if (array.length < length) {
                array = new byte[Math.max(length, 2 * array.length)];
            }
            array[0] = '[';
            for (int i = 0, at = 1; i < count; i++, at += step) {
                System.arraycopy(digits, 0, array, at, digits.length);
                array[at + digits.length] = ',';
            }
            array[length - 1] = ']';
            set(array, length);
            return this;
        }
    }

    /**
     * The JSON text of finite doubles, formatted by {@link Double#toString(double)} (what {@link
     * JsonGenerator#writeNumber(double)} writes, see {@link OnlineResultJson#writesNumbersAsText}) once per distinct value of an answer: a
     * direct-mapped table of {@value #SLOTS} slots by the double's bits, the texts kept as ASCII bytes. A value
     * whose slot holds another is formatted and takes the slot. One instance per answer, on one thread.
     */
    private static final class DoubleTexts extends RawAscii {
        private static final int SLOT_BITS = 8;
        static final int SLOTS = 1 << SLOT_BITS;

        private final long[] bits = new long[SLOTS];
        private final byte[][] texts = new byte[SLOTS][];

        /** The text of {@code value}, a finite double, until the next call. */
        DoubleTexts of(double value) {
            long key = Double.doubleToRawLongBits(value);
            int slot = (int) (key * 0x9E3779B97F4A7C15L >>> (64 - SLOT_BITS)); // Fibonacci hashing
            byte[] text = texts[slot];
            if (text == null || bits[slot] != key) {
                text = Double.toString(value).getBytes(StandardCharsets.US_ASCII);
                texts[slot] = text;
                bits[slot] = key;
            }
            set(text, text.length);
            return this;
        }
    }

    /**
     * Raw ASCII bytes as a {@link SerializableString}, for {@link JsonGenerator#writeRawValue(SerializableString)}
     * (which copies them into its buffer): {@code bytes[0, length)}, set by the subclass. Only the unquoted forms are
     * used.
     */
    private abstract static class RawAscii implements SerializableString {
        private byte[] bytes = new byte[0];
        private int length;

        final void set(byte[] bytes, int length) {
            this.bytes = bytes;
            this.length = length;
        }

        @Override
        public String getValue() {
            return new String(bytes, 0, length, StandardCharsets.US_ASCII);
        }

        @Override
        public int charLength() {
            return length;
        }

        @Override
        public byte[] asUnquotedUTF8() {
            return Arrays.copyOf(bytes, length);
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) {
                return -1;
            }
            System.arraycopy(bytes, 0, buffer, offset, length);
            return length;
        }

        @Override
        public int appendUnquoted(char[] buffer, int offset) {
            if (offset + length > buffer.length) {
                return -1;
            }
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = (char) bytes[i];
            }
            return length;
        }

        @Override
        public int writeUnquotedUTF8(OutputStream out) throws IOException {
            out.write(bytes, 0, length);
            return length;
        }

        @Override
        public int putUnquotedUTF8(ByteBuffer buffer) {
            if (length > buffer.remaining()) {
                return -1;
            }
            buffer.put(bytes, 0, length);
            return length;
        }

        @Override
        public char[] asQuotedChars() {
            return quoted().asQuotedChars();
        }

        @Override
        public byte[] asQuotedUTF8() {
            return quoted().asQuotedUTF8();
        }

        @Override
        public int appendQuotedUTF8(byte[] buffer, int offset) {
            return quoted().appendQuotedUTF8(buffer, offset);
        }

        @Override
        public int appendQuoted(char[] buffer, int offset) {
            return quoted().appendQuoted(buffer, offset);
        }

        @Override
        public int writeQuotedUTF8(OutputStream out) throws IOException {
            return quoted().writeQuotedUTF8(out);
        }

        @Override
        public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
            return quoted().putQuotedUTF8(buffer);
        }

        private SerializedString quoted() {
            return new SerializedString(getValue());
        }
    }
}
