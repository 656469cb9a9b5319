package io.fathom.ingest.internal;

import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.kafka.AvroSerdes;
import io.fathom.schemas.avro.FeatureSnapshot;
import org.apache.kafka.common.serialization.Serde;

/** Kafka serdes for the Avro records ingest reads, keeps and writes. */
public final class IngestSerdes {
    private IngestSerdes() {}

    public static Serde<FeatureSnapshot> snapshot() {
        return AvroSerdes.of(FeatureSnapshot.getClassSchema());
    }

    static Serde<RoutedEvent> routedEvent() {
        return AvroSerdes.of(RoutedEvent.getClassSchema());
    }
}
