package io.fathom.offline.internal;

import io.fathom.schemas.SlicedSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The row schema of a view's snapshot files: one row per snapshot, flattened.
 *
 * <pre>
 * entity_key       string                 the canonical entity key (io.fathom.core.EntityKey)
 * event_ts         timestamp-millis (UTC) latest event time in the state
 * created_ts       timestamp-millis (UTC) wall-clock time of ingest
 * kafka_partition  int                    where the snapshot was read: with kafka_offset, a unique id
 * kafka_offset     long
 * state            bytes                  the EntityState, Avro binary: windows re-evaluate at any t &gt;= event_ts
 * &lt;feature&gt;...     nullable, typed by aggregation (FeatureColumns): the values at event_ts
 * </pre>
 *
 * A feature named like one of the fixed columns cannot be stored and is rejected up front.
 */
public final class SnapshotSchema {
    public static final String ENTITY_KEY = "entity_key";
    public static final String EVENT_TS = "event_ts";
    public static final String CREATED_TS = "created_ts";
    public static final String PARTITION = "kafka_partition";
    public static final String OFFSET = "kafka_offset";
    public static final String STATE = "state";
    public static final Set<String> FIXED_COLUMNS = Set.of(ENTITY_KEY, EVENT_TS, CREATED_TS, PARTITION, OFFSET, STATE);

    private final Schema schema;
    private final List<FeatureColumns.Column> features;
    private final int firstFeature;

    private SnapshotSchema(String view, List<FeatureColumns.Column> features) {
        this.features = List.copyOf(features);
        List<Schema.Field> fields = new ArrayList<>();
        fields.add(new Schema.Field(ENTITY_KEY, stringSchema()));
        fields.add(new Schema.Field(EVENT_TS, timestampSchema()));
        fields.add(new Schema.Field(CREATED_TS, timestampSchema()));
        fields.add(new Schema.Field(PARTITION, Schema.create(Schema.Type.INT)));
        fields.add(new Schema.Field(OFFSET, Schema.create(Schema.Type.LONG)));
        fields.add(new Schema.Field(STATE, Schema.create(Schema.Type.BYTES)));
        this.firstFeature = fields.size();
        for (FeatureColumns.Column column : features) {
            if (FIXED_COLUMNS.contains(column.feature())) {
                throw new IllegalArgumentException("view " + view + ": feature " + column.feature()
                        + " has the name of a fixed column of the offline store " + FIXED_COLUMNS
                        + "; rename the feature");
            }
            fields.add(new Schema.Field(
                    column.feature(), column.type().nullableSchema(), null, Schema.Field.NULL_DEFAULT_VALUE));
        }
        Schema record = Schema.createRecord("snapshot_" + view, "A " + view + " snapshot", "io.fathom.offline", false);
        record.setFields(fields);
        this.schema = record;
    }

    public static SnapshotSchema of(String view, List<FeatureColumns.Column> features) {
        return new SnapshotSchema(view, features);
    }

    public Schema schema() {
        return schema;
    }

    public List<FeatureColumns.Column> features() {
        return features;
    }

    /** The columns the point-in-time join reads: everything but the stored feature values. */
    public static Schema joinProjection() {
        Schema record = Schema.createRecord("snapshot_projection", null, "io.fathom.offline", false);
        record.setFields(List.of(
                new Schema.Field(ENTITY_KEY, stringSchema()),
                new Schema.Field(EVENT_TS, timestampSchema()),
                new Schema.Field(CREATED_TS, timestampSchema()),
                new Schema.Field(OFFSET, Schema.create(Schema.Type.LONG)),
                new Schema.Field(STATE, Schema.create(Schema.Type.BYTES))));
        return record;
    }

    /** A row from a snapshot and where it was read; the state's bytes are stored as they are. */
    public GenericRecord row(SlicedSnapshot snapshot, int partition, long offset) {
        GenericData.Record row = new GenericData.Record(schema);
        row.put(0, snapshot.entityKey());
        row.put(1, snapshot.eventTs());
        row.put(2, snapshot.createdTs());
        row.put(3, partition);
        row.put(4, offset);
        row.put(5, snapshot.state());
        Map<String, Object> values = snapshot.values().toMap();
        for (int i = 0; i < features.size(); i++) {
            FeatureColumns.Column column = features.get(i);
            Object value = values.get(column.feature());
            try {
                row.put(firstFeature + i, column.type().convert(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "snapshot of " + snapshot.entityKey() + ": feature " + column.feature() + ": " + e.getMessage(),
                        e);
            }
        }
        return row;
    }

    private static Schema stringSchema() {
        Schema string = Schema.create(Schema.Type.STRING);
        string.addProp(GenericData.STRING_PROP, GenericData.StringType.String.name());
        return string;
    }

    private static Schema timestampSchema() {
        return LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    }
}
