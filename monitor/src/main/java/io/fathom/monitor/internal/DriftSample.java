package io.fathom.monitor.internal;

import io.fathom.schemas.FeatureValues;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What drift monitoring needs of a snapshot, and all that crosses the repartition by view: its event time
 * and its evaluated feature values, still encoded (decoded once, by the drift windows).
 *
 * <p>Serialized as the event time (8 bytes, big-endian) followed by the values' Avro encoding ({@link
 * FeatureValues#toAvro()}).
 */
record DriftSample(long eventTs, FeatureValues values) {
    private static final int EVENT_TS_SIZE = Long.BYTES;

    DriftSample {
        Objects.requireNonNull(values, "values");
    }

    static Serde<DriftSample> serde() {
        return Serdes.serdeFrom(
                (topic, sample) -> sample == null ? null : sample.toBytes(),
                (topic, bytes) -> bytes == null ? null : fromBytes(topic, bytes));
    }

    byte[] toBytes() {
        byte[] values = this.values.toAvro();
        return ByteBuffer.allocate(EVENT_TS_SIZE + values.length)
                .putLong(eventTs)
                .put(values)
                .array();
    }

    static DriftSample fromBytes(String topic, byte[] bytes) {
        if (bytes.length < EVENT_TS_SIZE) {
            throw new SerializationException(
                    "a drift sample on " + topic + " has " + bytes.length + " bytes, fewer than its event time");
        }
        try {
            return new DriftSample(
                    ByteBuffer.wrap(bytes).getLong(),
                    FeatureValues.fromAvro(bytes, EVENT_TS_SIZE, bytes.length - EVENT_TS_SIZE));
        } catch (IllegalArgumentException e) {
            throw new SerializationException("a drift sample on " + topic + " is not readable: " + e.getMessage(), e);
        }
    }
}
