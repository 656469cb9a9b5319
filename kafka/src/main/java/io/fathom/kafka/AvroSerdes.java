package io.fathom.kafka;

import io.fathom.schemas.AvroCodec;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka serdes of Fathom's Avro records. */
public final class AvroSerdes {
    private AvroSerdes() {}

    /**
     * Plain Avro binary of one generated record type (schemas' {@link AvroCodec}: no framing, the topic says
     * what it holds); null stays null both ways (tombstones). Thread-safe.
     *
     * @param schema the generated class's {@code getClassSchema()}
     */
    public static <T extends SpecificRecord> Serde<T> of(Schema schema) {
        AvroCodec<T> codec = AvroCodec.of(schema);
        return Serdes.serdeFrom(
                (topic, value) -> value == null ? null : codec.encode(value),
                (topic, bytes) -> bytes == null ? null : codec.decode(bytes));
    }
}
