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
}
