package io.fathom.ingest.internal;

import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.kafka.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;

/** Kafka serdes for the Avro records ingest keeps internally (its snapshots are spliced by SnapshotCodec). */
public final class IngestSerdes {
    private IngestSerdes() {}

    static Serde<RoutedEvent> routedEvent() {
        return AvroSerdes.of(RoutedEvent.getClassSchema());
    }
}
