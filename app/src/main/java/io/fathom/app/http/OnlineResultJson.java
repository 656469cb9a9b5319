package io.fathom.app.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.online.EntityResult;
import io.fathom.online.FeatureStatus;
import io.fathom.online.OnlineResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The body of {@code POST /v1/features/online}: an {@link OnlineResult} written with Jackson's streaming {@link
 * JsonGenerator} straight into UTF-8 bytes, byte for byte what {@code ctx.json} sent before (the {@code
 * ObjectMapper}'s {@code String} for the record, encoded as UTF-8; a test holds it to that), without the bean serializers' per-value lookups, the intermediate {@code String} and its
 * re-encoding.
 *
 * <p>Why: a read of 100 entities × 50 features answers 15,000 values, statuses and event times. Serialised
 * through {@code ctx.json} (databind into a {@code String}, then encoded), that was the largest single cost of the
 * request in the profile (benchmarks/README.md, "Online read latency and throughput"). Property names and statuses
 * are pre-encoded; values of the types features have ({@code Long}, {@code Double}, {@code String}, {@code
 * Boolean}, null) and key values ({@code Integer}, {@code Long}, {@code String}) are written directly, anything
 * else through the mapper the factory belongs to, as databind would.
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

    /** Bytes per value, status and event time together: a first guess at the size, to grow the buffer rarely. */
    private static final int BYTES_PER_FEATURE = 40;

    private final JsonFactory factory;

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

    /** The JSON of {@code result}, UTF-8. */
    byte[] write(OnlineResult result) {
        int guess = 64 + result.results().size() * (64 + result.features().size() * BYTES_PER_FEATURE);
        try (ByteArrayBuilder out = new ByteArrayBuilder(Math.min(guess, 1 << 20))) {
            try (JsonGenerator json = factory.createGenerator(out, JsonEncoding.UTF8)) {
                write(json, result);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing an online result as JSON", e);
        }
    }

    private static void write(JsonGenerator json, OnlineResult result) throws IOException {
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
            write(json, row);
        }
        json.writeEndArray();
        json.writeFieldName(READ_AT);
        json.writeNumber(result.readAt());
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, EntityResult row) throws IOException {
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
        json.writeStartArray(statuses, size);
        for (int i = 0; i < size; i++) {
            json.writeString(STATUS_NAMES[statuses.get(i).ordinal()]);
        }
        json.writeEndArray();

        json.writeFieldName(EVENT_TIMESTAMPS);
        List<Long> eventTimestamps = row.eventTimestamps();
        json.writeStartArray(eventTimestamps, size);
        for (int i = 0; i < size; i++) {
            Long eventTs = eventTimestamps.get(i);
            if (eventTs == null) {
                json.writeNull();
            } else {
                json.writeNumber(eventTs.longValue());
            }
        }
        json.writeEndArray();
        json.writeEndObject();
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
}
