package io.fathom.core.decode;

import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import java.util.Set;

/** Picks the decoder for a source's format. */
public final class EventDecoders {
    private EventDecoders() {}

    public static EventDecoder forSource(SourceDefinition source, Set<String> neededFields) {
        if (source.format() == EventFormat.JSON) {
            return new JsonEventDecoder(neededFields);
        }
        AvroRecordDecoder records = avroRecords(source);
        Set<String> fields = Set.copyOf(neededFields);
        return value -> AvroFields.of(records.record(value), fields);
    }

    /**
     * The whole-record decoder of an Avro source ({@code avro} or {@code avro-registry}), which {@link
     * #forSource} reads through.
     *
     * @throws IllegalArgumentException for a JSON source
     */
    public static AvroRecordDecoder avroRecords(SourceDefinition source) {
        return switch (source.format()) {
            case AVRO -> new AvroSingleObjectDecoder(source.schema().orElseThrow());
            case AVRO_REGISTRY -> new AvroRegistryDecoder(source.schema().orElseThrow());
            case JSON -> throw new IllegalArgumentException("source " + source.name() + " is JSON, not Avro");
        };
    }
}
