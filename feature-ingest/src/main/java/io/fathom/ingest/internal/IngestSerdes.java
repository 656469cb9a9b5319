package io.fathom.ingest.internal;

import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.FeatureSnapshot;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes for the Avro records ingest reads, keeps and writes. */
public final class IngestSerdes {
    private IngestSerdes() {}

    public static Serde<FeatureSnapshot> snapshot() {
        return avro(AvroCodec.of(FeatureSnapshot.getClassSchema()));
    }

    static Serde<RoutedEvent> routedEvent() {
        return avro(AvroCodec.of(RoutedEvent.getClassSchema()));
    }

    private static <T extends SpecificRecord> Serde<T> avro(AvroCodec<T> codec) {
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : codec.encode(value),
                (topic, bytes) -> bytes == null ? null : codec.decode(bytes));
    }
}
