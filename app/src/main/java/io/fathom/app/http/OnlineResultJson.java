package io.fathom.app.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
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
                .build()
                .setCodec(mapper);
    }

    /**
     * Writes the JSON of {@code result}, UTF-8, to {@code out} in the generator's chunks (8,000 bytes), and flushes
     * it; does not close it.
     */
    void write(OnlineResult result, OutputStream out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            write(json, result, new RepeatedNumber());
        }
    }

    private void write(JsonGenerator json, OnlineResult result, RepeatedNumber times) throws IOException {
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
            write(json, row, times);
        }
        json.writeEndArray();
        json.writeFieldName(READ_AT);
        json.writeNumber(result.readAt());
        json.writeEndObject();
    }

    private void write(JsonGenerator json, EntityResult row, RepeatedNumber times) throws IOException {
        json.writeStartObject();
        json.writeFieldName(ENTITY);
        json.writeStartObject(row.entity());
        for (Map.Entry<String, Object> key : row.entity().entrySet()) {
            json.writeFieldName(key.getKey());
            value(json, key.getValue());
        }
        json.writeEndObject();

        json.writeFieldName(VALUES);
        List<Object> values = row.values();
        int size = values.size();
        json.writeStartArray(values, size);
        for (int i = 0; i < size; i++) {
            value(json, values.get(i));
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
        if (eventTs != null && allSame(eventTimestamps, eventTs)) {
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

    private static void value(JsonGenerator json, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
        } else if (value instanceof Double number) {
            json.writeNumber(number.doubleValue());
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
     * JsonGenerator#writeRawValue(SerializableString)} (which copies the bytes into its buffer). The number is
     * formatted once and its digits copied; one buffer serves every row of an answer. Only the unquoted forms are
     * used.
     */
    private static final class RepeatedNumber implements SerializableString {
        private byte[] bytes = new byte[1024];
        private int length;

        /** This array of {@code count} times {@code number}, replacing what it held. */
        RepeatedNumber of(long number, int count) {
            byte[] digits = Long.toString(number).getBytes(StandardCharsets.US_ASCII);
            int step = digits.length + 1;
            length = 1 + count * step;
            if (bytes.length < length) {
                bytes = new byte[Math.max(length, 2 * bytes.length)];
            }
            bytes[0] = '[';
            for (int i = 0, at = 1; i < count; i++, at += step) {
                System.arraycopy(digits, 0, bytes, at, digits.length);
                bytes[at + digits.length] = ',';
            }
            bytes[length - 1] = ']';
            return this;
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
