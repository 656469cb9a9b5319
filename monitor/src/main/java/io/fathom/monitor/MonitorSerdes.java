package io.fathom.monitor;

import io.fathom.kafka.AvroSerdes;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.BiasReportRecord;
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
}
