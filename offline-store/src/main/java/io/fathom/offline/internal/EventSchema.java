package io.fathom.offline.internal;

import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroSchemaConverter;

/**
 * The row schema of a source's event-history files: one row per archived event.
 *
 * <pre>
 * _kafka_partition  int                     where the event was read: with _kafka_offset, a unique id
 * _kafka_offset     long
 * _event_ts         timestamp-millis (UTC)  the event time as ingest reads it (EventTimes.parse of the
 *                                           source's timestamp field)
 * _value            string                  JSON sources: the event's JSON text as received (UTF-8)
 * &lt;field&gt;...        as declared             Avro sources: every top-level field of the source's schema
 * </pre>
 *
 * An Avro field named like a fixed column, or a schema Parquet cannot hold (a recursive one), is refused
 * up front.
 */
public final class EventSchema {
    public static final String PARTITION = "_kafka_partition";
    public static final String OFFSET = "_kafka_offset";
    public static final String EVENT_TS = "_event_ts";
    public static final String VALUE = "_value";
    public static final Set<String> FIXED_COLUMNS = Set.of(PARTITION, OFFSET, EVENT_TS, VALUE);

    private static final int FIRST_FIELD = 3;

    private final Schema schema;

    private EventSchema(Schema schema) {
        this.schema = schema;
    }

    /**
     * The schema of a source's event files.
     *
     * @throws IllegalArgumentException when the source's schema cannot be stored, saying why
     */
    public static EventSchema of(SourceDefinition source) {
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field(PARTITION, Schema.create(Schema.Type.INT)));
        fields.add(new Schema.Field(OFFSET, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(
                EVENT_TS, LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))));
        if (source.format() == EventFormat.JSON) {
            Schema string = Schema.create(Schema.Type.STRING);
            string.addProp(GenericData.STRING_PROP, GenericData.StringType.String.name());
            fields.add(new Schema.Field(VALUE, string));
        } else {
            for (Schema.Field field : source.schema().orElseThrow().getFields()) {
                if (FIXED_COLUMNS.contains(field.name())) {
                    throw new IllegalArgumentException("source " + source.name() + ": field " + field.name()
                            + " has the name of a fixed column of the event history " + FIXED_COLUMNS
                            + "; rename the field");
                }
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        Schema record = Schema.createRecord(
                "events_" + source.name(), "Events of " + source.name(), "io.fathom.offline", false);
        record.setFields(fields);
        try {
            new AvroSchemaConverter().convert(record);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "source " + source.name() + ": its Avro schema cannot be stored in Parquet: " + e.getMessage(), e);
        }
        return new EventSchema(record);
    }

    public Schema schema() {
        return schema;
    }

    /** The row of a JSON event. */
    public GenericRecord jsonRow(int partition, long offset, long eventTs, String json) {
        GenericData.Record row = fixed(partition, offset, eventTs);
        row.put(FIRST_FIELD, json);
        return row;
    }

    /** The row of an Avro event: its fields as decoded with the source's schema, by position. */
    public GenericRecord avroRow(int partition, long offset, long eventTs, GenericRecord event) {
        GenericData.Record row = fixed(partition, offset, eventTs);
        int fields = schema.getFields().size() - FIRST_FIELD;
        for (int i = 0; i < fields; i++) {
            row.put(FIRST_FIELD + i, event.get(i));
        }
        return row;
    }

    private GenericData.Record fixed(int partition, long offset, long eventTs) {
        GenericData.Record row = new GenericData.Record(schema);
        row.put(0, partition);
        row.put(1, offset);
        row.put(2, eventTs);
        return row;
    }
}
