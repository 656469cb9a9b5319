package io.fathom.monitor.internal;

import io.fathom.schemas.FeatureValues;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * What drift monitoring needs of a snapshot, and all that crosses the repartition by view: its event time
 * and its evaluated feature values, still encoded (decoded once, by the drift windows).
 *
 * <p>Serialized as the event time (8 bytes, big-endian) followed by the values' Avro encoding ({@link
 * FeatureValues#toAvro()}). The partition of the snapshot topic it was read from crosses the repartition beside it,
 * in the header {@value #PARTITION_HEADER} (4 bytes, big-endian): the view's watermark is kept over those partitions
 * ({@link ViewClockStore}). A sample without it (written by a monitor before watermarks) counts as read from
 * partition {@value #UNKNOWN_PARTITION}.
 */
record DriftSample(long eventTs, FeatureValues values) {
    private static final int EVENT_TS_SIZE = Long.BYTES;
    static final String PARTITION_HEADER = "fathom.snapshot-partition";
    static final int UNKNOWN_PARTITION = -1;

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

    /** The header that carries the snapshot topic's partition a sample was read from. */
    static Headers partitionHeader(int partition) {
        return new RecordHeaders()
                .add(
                        PARTITION_HEADER,
                        ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
    }

    /** The partition {@link #partitionHeader} carries, or {@link #UNKNOWN_PARTITION} without a readable one. */
    static int partitionOf(Headers headers) {
        Header header = headers.lastHeader(PARTITION_HEADER);
        if (header == null || header.value() == null || header.value().length != Integer.BYTES) {
            return UNKNOWN_PARTITION;
        }
        return ByteBuffer.wrap(header.value()).getInt();
    }
}
