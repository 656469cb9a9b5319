package io.fathom.core.decode;

import io.fathom.schemas.SourceDefinition;
import java.util.Set;

/** Picks the decoder for a source's format. */
public final class EventDecoders {
    private EventDecoders() {}

    public static EventDecoder forSource(SourceDefinition source, Set<String> neededFields) {
        return switch (source.format()) {
            case JSON -> new JsonEventDecoder(neededFields);
            case AVRO -> new AvroSingleObjectDecoder(source.schema().orElseThrow(), neededFields);
            case AVRO_REGISTRY -> new AvroRegistryDecoder(source.schema().orElseThrow(), neededFields);
        };
    }

    /**
     * The whole-record decoder of an Avro source ({@code avro} or {@code avro-registry}), reading exactly
     * as {@link #forSource} does.
     *
     * @throws IllegalArgumentException for a JSON source
     */
    public static AvroRecordDecoder avroRecords(SourceDefinition source) {
        return switch (source.format()) {
            case AVRO -> new AvroSingleObjectDecoder(source.schema().orElseThrow(), Set.of());
            case AVRO_REGISTRY -> new AvroRegistryDecoder(source.schema().orElseThrow(), Set.of());
            case JSON -> throw new IllegalArgumentException("source " + source.name() + " is JSON, not Avro");
        };
    }
}
