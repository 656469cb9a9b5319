package io.fathom.offline.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.avro.Schema;

/** The columns of the event archive's files ({@link EventSchema}), and projections of an event file's schema. */
final class EventColumns {
    static final String PARTITION = EventSchema.PARTITION;
    static final String OFFSET = EventSchema.OFFSET;
    static final String EVENT_TS = EventSchema.EVENT_TS;
    /** A JSON source's event, as received. */
    static final String VALUE = EventSchema.VALUE;

    private EventColumns() {}

    /** The file's columns among {@code names}, in the file's order (those it lacks are left out). */
    static Schema projection(Schema file, Collection<String> names) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field field : file.getFields()) {
            if (names.contains(field.name())) {
                fields.add(new Schema.Field(field, field.schema()));
            }
        }
        return Schema.createRecord(file.getName(), file.getDoc(), file.getNamespace(), false, fields);
    }
}
