package io.fathom.monitor;

import io.fathom.kafka.AvroSerdes;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;
import io.fathom.schemas.avro.FeatureSnapshot;
import org.apache.kafka.common.serialization.Serde;

/** Kafka serdes of the monitor's topics: plain Avro binary (no framing), null for null ({@link AvroSerdes}). */
public final class MonitorSerdes {
    private MonitorSerdes() {}

    /** {@code fathom.drift.reports}. */
    public static Serde<io.fathom.schemas.avro.DriftReport> driftReport() {
        return AvroSerdes.of(io.fathom.schemas.avro.DriftReport.getClassSchema());
    }

    /** {@code fathom.bias.reports}. */
    public static Serde<BiasReportRecord> biasReport() {
        return AvroSerdes.of(BiasReportRecord.getClassSchema());
    }

    /** {@code fathom.alerts}. */
    public static Serde<AlertEvent> alertEvent() {
        return AvroSerdes.of(AlertEvent.getClassSchema());
    }

    /**
     * {@code fathom.snapshots.<view>} as Avro objects, for whoever produces snapshots to a monitored view
     * (tests, tools). The monitor itself reads the topic with schemas' {@code SnapshotCodec}.
     */
    public static Serde<FeatureSnapshot> snapshot() {
        return AvroSerdes.of(FeatureSnapshot.getClassSchema());
    }
}
