package io.fathom.offline.internal;

import io.fathom.core.EntityKey;
import io.fathom.core.EventTimes;
import io.fathom.core.InvalidEventException;
import io.fathom.core.TimeMath;
import io.fathom.core.decode.AvroFields;
import io.fathom.core.decode.EventDecoder;
import io.fathom.core.decode.EventDecoders;
import io.fathom.offline.OfflineException;
import io.fathom.offline.internal.EventHistory.EventFile;
import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.SourceDefinition;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.hadoop.ParquetReader;

/**
 * Reads the events of one file of the event history for one view: only the needed columns; each row
 * decoded the way ingest decodes it (core's {@link EventDecoders} for a {@code _value}, core's {@link
 * AvroFields} for typed columns, timestamps in millis), its time from {@code _event_ts} or else {@link
 * EventTimes#parse} of the source's timestamp field, its key by {@link EntityKey#of}. An event without a
 * key or a valid time, or undecodable, is skipped and counted. A dataset's events at or after the
 * archive's start are left to the archive.
 */
final class EventFileReader {
    /** What a view reads from its source's files, and where the events go. */
    record Reading(
            SourceDefinition source,
            EntityDefinition entity,
            List<String> fields,
            TimeCoverage coverage,
            long reach,
            Predicate<String> keys,
            ArchiveBound bound,
            long archiveStart,
            Consumer<EventRef> emit,
            ScanCounts counts) {
        /** Key columns, aggregated fields and the timestamp field. */
        Set<String> neededFields() {
            Set<String> needed = new LinkedHashSet<>(entity.keys());
            needed.addAll(fields);
            needed.add(source.timestampField());
            return needed;
        }
    }

    private final Reading reading;
    private final EventFile file;

    EventFileReader(Reading reading, EventFile file) {
        this.reading = reading;
        this.file = file;
    }

    void read() throws IOException {
        try {
            Schema schema = ParquetFiles.avroSchema(file.store().open(file.path()));
            Set<String> needed = reading.neededFields();
            boolean json = schema.getField(EventColumns.VALUE) != null;
            Set<String> columns = new LinkedHashSet<>(
                    List.of(EventColumns.PARTITION, EventColumns.OFFSET, EventColumns.EVENT_TS, EventColumns.VALUE));
            if (!json) {
                columns.addAll(needed);
            }
            Schema projection = EventColumns.projection(schema, columns);
            boolean timed = projection.getField(EventColumns.EVENT_TS) != null;
            FilterCompat.Filter filter = timed
                    ? FilterCompat.get(FilterApi.userDefined(
                            FilterApi.longColumn(EventColumns.EVENT_TS),
                            new CoveragePredicate(reading.coverage(), reading.reach(), true)))
                    : FilterCompat.NOOP;
            EventDecoder decoder = json ? EventDecoders.forSource(reading.source(), needed) : null;
            try (ParquetReader<GenericRecord> reader =
                    ParquetFiles.reader(file.store().open(file.path()), projection, filter)) {
                long row = 0;
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    Map<String, Object> fields = json ? decode(decoder, record) : typed(projection, record, needed);
                    if (fields != null) {
                        accept(record, fields, row);
                    }
                    row++;
                }
            }
        } catch (FileNotFoundException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new OfflineException(
                    "cannot read event file " + file.store().describe(file.path()) + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> decode(EventDecoder decoder, GenericRecord record) {
        Object value = column(record, EventColumns.VALUE);
        try {
            return decoder.decode(value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8));
        } catch (InvalidEventException e) {
            reading.counts().addSkipped();
            return null;
        }
    }

    /** The needed fields of an archived Avro event, or null (counted as skipped) when one has the wrong type. */
    private Map<String, Object> typed(Schema projection, GenericRecord record, Set<String> needed) {
        Map<String, Object> fields = new HashMap<>();
        try {
            for (String name : needed) {
                Schema.Field field = projection.getField(name);
                if (field != null) {
                    fields.put(
                            name,
                            AvroFields.normalise(
                                    name, TimestampUnits.toMillis(field.schema(), record.get(field.pos()))));
                }
            }
        } catch (InvalidEventException e) {
            reading.counts().addSkipped();
            return null;
        }
        return fields;
    }

    private void accept(GenericRecord record, Map<String, Object> fields, long row) {
        long ts;
        String key;
        try {
            ts = column(record, EventColumns.EVENT_TS) instanceof Long millis
                    ? millis
                    : EventTimes.parse(fields.get(reading.source().timestampField()));
            key = EntityKey.of(reading.entity(), fields).encoded();
        } catch (InvalidEventException e) {
            reading.counts().addSkipped();
            return;
        }
        if ((!file.archived() && ts >= reading.archiveStart())
                || !reading.coverage().anyIn(ts, TimeMath.plus(ts, reading.reach()))
                || !reading.keys().test(key)) {
            return;
        }
        Object[] values = new Object[reading.fields().size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = fields.get(reading.fields().get(i));
        }
        boolean positioned = column(record, EventColumns.PARTITION) instanceof Integer
                && column(record, EventColumns.OFFSET) instanceof Long;
        int origin = positioned ? (Integer) column(record, EventColumns.PARTITION) : -1 - file.index();
        long position = positioned ? (Long) column(record, EventColumns.OFFSET) : row;
        if (file.archived() && !reading.bound().admits(origin, position)) {
            return;
        }
        reading.emit().accept(new EventRef(key, ts, origin, position, values));
        reading.counts().addUsed();
    }

    /** A column of the record, or null when the file has none of that name. */
    private static Object column(GenericRecord record, String name) {
        Schema.Field field = record.getSchema().getField(name);
        return field == null ? null : record.get(field.pos());
    }
}
