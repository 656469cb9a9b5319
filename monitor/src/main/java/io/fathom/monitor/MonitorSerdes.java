package io.fathom.monitor;

import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;
import io.fathom.schemas.avro.FeatureSnapshot;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes of the monitor's topics: plain Avro binary (no framing), null for null. */
public final class MonitorSerdes {
    private MonitorSerdes() {}

    /** {@code fathom.drift.reports}. */
    public static Serde<io.fathom.schemas.avro.DriftReport> driftReport() {
        return avro(AvroCodec.of(io.fathom.schemas.avro.DriftReport.getClassSchema()));
    }

    /** {@code fathom.bias.reports}. */
    public static Serde<BiasReportRecord> biasReport() {
        return avro(AvroCodec.of(BiasReportRecord.getClassSchema()));
    }

    /** {@code fathom.alerts}. */
    public static Serde<AlertEvent> alertEvent() {
        return avro(AvroCodec.of(AlertEvent.getClassSchema()));
    }

    /**
     * {@code fathom.snapshots.<view>} as Avro objects, for whoever produces snapshots to a monitored view
     * (tests, tools). The monitor itself reads the topic with schemas' {@code SnapshotCodec}.
     */
    public static Serde<FeatureSnapshot> snapshot() {
        return avro(AvroCodec.of(FeatureSnapshot.getClassSchema()));
    }

    private static <T extends SpecificRecord> Serde<T> avro(AvroCodec<T> codec) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : codec.encode(value),
                (topic, bytes) -> bytes == null ? null : codec.decode(bytes));
    }
}
