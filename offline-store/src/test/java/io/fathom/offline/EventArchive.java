package io.fathom.offline;

import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.ParquetFiles;
import io.fathom.schemas.EventFormat;
import io.fathom.schemas.SourceDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;

/**
 * Writes a source's events as the offline writer's archive does, by the contract the event-time join
 * reads: {@code <root>/_events/<source>/date=YYYY-MM-DD/<topic>+<partition>+<start>+<end>.parquet}, one
 * row per event in offset order per partition, a new file at each change of the event's UTC date and, at
 * random, at other points; columns {@code _kafka_partition} int, {@code _kafka_offset} long, {@code
 * _event_ts} timestamp-millis, then {@code _value} (the JSON text) for a JSON source or every top-level
 * field of the source's Avro schema.
 */
final class EventArchive {
    /**
     * One archived event: where it sat in the source topic, its event time and its fields; for a JSON source,
     * {@code rawJson} (when not null) is the text archived instead of the fields' (a malformed event).
     */
    record Archived(int partition, long offset, long eventTs, Map<String, Object> fields, String rawJson) {
        Archived(int partition, long offset, long eventTs, Map<String, Object> fields) {
            this(partition, offset, eventTs, fields, null);
        }
    }

    private EventArchive() {}

    static void write(Path root, SourceDefinition source, List<Archived> events, Random random, int maxRows) {
        write(OfflineStoreConfig.builder(root).build(), source, events, random, maxRows);
    }

    static void write(
            OfflineStoreConfig root, SourceDefinition source, List<Archived> events, Random random, int maxRows) {
        Schema schema = schema(source);
        try (HadoopFileStore store = HadoopFileStore.open(root)) {
            List<Integer> partitions =
                    events.stream().map(Archived::partition).distinct().sorted().toList();
            for (int partition : partitions) {
                List<Archived> file = new ArrayList<>();
                int limit = 1 + random.nextInt(maxRows);
                for (Archived event : events.stream()
                        .filter(e -> e.partition() == partition)
                        .sorted(java.util.Comparator.comparingLong(Archived::offset))
                        .toList()) {
                    if (!file.isEmpty() && (!date(file.get(0)).equals(date(event)) || file.size() >= limit)) {
                        writeFile(store, source, schema, file);
                        file = new ArrayList<>();
                        limit = 1 + random.nextInt(maxRows);
                    }
                    file.add(event);
                }
                if (!file.isEmpty()) {
                    writeFile(store, source, schema, file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalDate date(Archived event) {
        return java.time.Instant.ofEpochMilli(event.eventTs())
                .atZone(ZoneOffset.UTC)
                .toLocalDate();
    }

    private static void writeFile(HadoopFileStore store, SourceDefinition source, Schema schema, List<Archived> rows)
            throws IOException {
        Archived first = rows.get(0);
        String path =
                "_events/" + source.name() + "/date=" + date(first) + "/" + source.topic() + "+" + first.partition()
                        + "+" + first.offset() + "+" + rows.get(rows.size() - 1).offset() + ".parquet";
        try (ParquetWriter<GenericRecord> writer = ParquetFiles.writer(store.create(path), schema, 1 << 20)) {
            for (Archived event : rows) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("_kafka_partition", event.partition());
                record.put("_kafka_offset", event.offset());
                record.put("_event_ts", event.eventTs());
                if (source.format() == EventFormat.JSON) {
                    record.put("_value", event.rawJson() != null ? event.rawJson() : json(event.fields()));
                } else {
                    source.schema()
                            .orElseThrow()
                            .getFields()
                            .forEach(f -> record.put(f.name(), event.fields().get(f.name())));
                }
                writer.write(record);
            }
        }
    }

    static Schema schema(SourceDefinition source) {
        Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record("ArchivedEvent")
                .namespace("io.fathom.test")
                .fields()
                .name("_kafka_partition")
                .type()
                .intType()
                .noDefault()
                .name("_kafka_offset")
                .type()
                .longType()
                .noDefault()
                .name("_event_ts")
                .type(timestamp)
                .noDefault();
        if (source.format() == EventFormat.JSON) {
            return fields.name("_value").type().stringType().noDefault().endRecord();
        }
        Schema record = fields.endRecord();
        List<Schema.Field> all = new ArrayList<>();
        record.getFields().forEach(f -> all.add(new Schema.Field(f, f.schema())));
        source.schema().orElseThrow().getFields().forEach(f -> all.add(new Schema.Field(f, f.schema())));
        return Schema.createRecord("ArchivedEvent", null, "io.fathom.test", false, all);
    }

    /** The JSON text of flat fields (Long, Double, String, Boolean, null). */
    static String json(Map<String, Object> fields) {
        return fields.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + (e.getValue() instanceof String s ? quote(s) : e.getValue()))
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
