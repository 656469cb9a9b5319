package io.fathom.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.monitor.MonitorListener;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes a bias monitor's JSON inputs, keyed by id. A prediction is
 * {@code {"id", "prediction": 0|1|true|false}} or {@code {"id", "score": 0.73, "threshold": 0.5}}
 * (threshold 0.5 when absent; positive when score ≥ threshold), with each protected attribute as a
 * field (a missing one is the group {@value #MISSING}) and an optional {@code event_time} (epoch millis
 * or ISO-8601; the record's timestamp otherwise). A label is {@code {"id", "label": 0|1|true|false}},
 * timed by its record. Anything else goes to the dead letters with its reason.
 */
final class BiasDecoders {
    static final String MISSING = "__missing__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BiasDecoders() {}

    /** A JSON object with an id; anything else goes to the dead letters. */
    private abstract static class JsonWithId extends InputDecoder {
        private final String what;

        JsonWithId(String what, MonitorListener listener) {
            super(listener);
            this.what = what;
        }

        @Override
        public final void process(Record<byte[], byte[]> record) {
            JsonNode json = parse(record);
            if (json == null) {
                return;
            }
            String id = id(json);
            if (id == null) {
                deadLetter(record, "missing_id", what + " has no id");
                return;
            }
            process(record, json, id);
        }

        abstract void process(Record<byte[], byte[]> record, JsonNode json, String id);

        private JsonNode parse(Record<byte[], byte[]> record) {
            if (record.value() == null) {
                deadLetter(record, "invalid_json", "record has no value");
                return null;
            }
            try {
                JsonNode json = JSON.readTree(record.value());
                if (json == null || !json.isObject()) {
                    deadLetter(record, "invalid_json", "value is not a JSON object");
                    return null;
                }
                return json;
            } catch (IOException e) {
                deadLetter(record, "invalid_json", String.valueOf(e.getMessage()));
                return null;
            }
        }
    }

    static final class Predictions extends JsonWithId {
        private final List<String> attributes;

        Predictions(List<String> attributes, MonitorListener listener) {
            super("prediction", listener);
            this.attributes = List.copyOf(attributes);
        }

        @Override
        void process(Record<byte[], byte[]> record, JsonNode json, String id) {
            Boolean positive;
            JsonNode prediction = json.get("prediction");
            JsonNode score = json.get("score");
            if (prediction != null && !prediction.isNull()) {
                positive = binary(prediction);
            } else if (score != null && score.isNumber()) {
                JsonNode threshold = json.get("threshold");
                positive = score.asDouble() >= (threshold != null && threshold.isNumber() ? threshold.asDouble() : 0.5);
            } else {
                positive = null;
            }
            if (positive == null) {
                deadLetter(
                        record,
                        "missing_prediction",
                        "prediction " + id + " has neither a 0/1 prediction nor a numeric score");
                return;
            }
            Long time = eventTime(json.get("event_time"), record.timestamp());
            if (time == null) {
                deadLetter(record, "invalid_timestamp", "event_time of " + id + " is not a time");
                return;
            }
            Map<String, String> groups = new LinkedHashMap<>();
            for (String attribute : attributes) {
                JsonNode value = json.get(attribute);
                groups.put(attribute, value == null || value.isNull() ? MISSING : value.asText());
            }
            forward(new Record<>(id, new Output.BiasIn(new BiasInput.Prediction(id, positive, groups, time)), time));
        }
    }

    static final class Labels extends JsonWithId {
        Labels(MonitorListener listener) {
            super("label", listener);
        }

        @Override
        void process(Record<byte[], byte[]> record, JsonNode json, String id) {
            JsonNode label = json.get("label");
            Boolean positive = label == null ? null : binary(label);
            if (positive == null) {
                deadLetter(record, "missing_label", "label " + id + " is not 0/1");
                return;
            }
            forward(new Record<>(
                    id, new Output.BiasIn(new BiasInput.Label(id, positive, record.timestamp())), record.timestamp()));
        }
    }

    private static String id(JsonNode json) {
        JsonNode id = json.get("id");
        if (id == null
                || id.isNull()
                || !(id.isTextual() || id.isIntegralNumber())
                || id.asText().isEmpty()) {
            return null;
        }
        return id.asText();
    }

    /** 0/1 or a boolean; null for anything else. */
    private static Boolean binary(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber() && (node.asDouble() == 0 || node.asDouble() == 1)) {
            return node.asDouble() == 1;
        }
        return null;
    }

    private static Long eventTime(JsonNode node, long recordTimestamp) {
        if (node == null || node.isNull()) {
            return recordTimestamp;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
