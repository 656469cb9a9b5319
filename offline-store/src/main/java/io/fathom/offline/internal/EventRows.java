package io.fathom.offline.internal;

import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.core.decode.AvroFields;
import io.fathom.core.decode.AvroRecordDecoder;
import io.fathom.core.decode.EventDecoder;
import io.fathom.core.decode.EventDecoders;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A source's event records as rows of its {@link EventSchema}, decoded by core's decoders exactly as
 * ingest decodes them. An event is stored when it decodes and has a valid event time ({@link
 * EventTimes#parse} of the timestamp field): what ingest dead-letters before any view sees it
 * ({@code undecodable}, {@code missing_timestamp}, {@code bad_timestamp}) is skipped. Everything past that
 * point is stored, whatever a view later makes of it: an event without a key for some view (a source may
 * feed views of different entities), with a wrong type in some field, or late.
 */
public final class EventRows implements RowFormat {
    private final EventSchema schema;
    private final String timestampField;
    private final Set<String> timestampOnly;
    private final EventDecoder json;
    private final AvroRecordDecoder avro;

    private EventRows(EventSchema schema, SourceDefinition source) {
        this.schema = schema;
        this.timestampField = source.timestampField();
        this.timestampOnly = Set.of(timestampField);
        boolean isJson = source.format() == EventFormat.JSON;
        this.json = isJson ? EventDecoders.forSource(source, timestampOnly) : null;
        this.avro = isJson ? null : EventDecoders.avroRecords(source);
    }

    /**
     * The rows of a source's events.
     *
     * @throws IllegalArgumentException when the source's schema cannot be stored (see {@link EventSchema})
     */
    public static EventRows of(SourceDefinition source) {
        return new EventRows(EventSchema.of(source), source);
    }

    @Override
    public Schema schema() {
        return schema.schema();
    }

    @Override
    public Converted convert(ConsumerRecord<byte[], byte[]> record) {
        try {
            if (avro != null) {
                GenericRecord event = avro.record(record.value());
                long eventTs =
                        EventTimes.parse(AvroFields.of(event, timestampOnly).get(timestampField));
                return new Row(eventTs, schema.avroRow(record.partition(), record.offset(), eventTs, event));
            }
            long eventTs = EventTimes.parse(json.decode(record.value()).get(timestampField));
            String text = new String(record.value(), StandardCharsets.UTF_8);
            return new Row(eventTs, schema.jsonRow(record.partition(), record.offset(), eventTs, text));
        } catch (InvalidEventException e) {
            return new Skip(e.reason().code() + ": " + e.getMessage());
        }
    }
}
