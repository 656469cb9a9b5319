package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A view's snapshot records as rows of its {@link SnapshotSchema}. Each value is read with {@link
 * SnapshotCodec#decode}, which slices the state's bytes out without decoding them. A record without a value
 * is skipped; a value that is not a {@code FeatureSnapshot} stops the writer ({@link OfflineException}):
 * silently skipping it would break exactly-once.
 */
public final class SnapshotRows implements RowFormat {
    private static final SnapshotCodec SNAPSHOTS = new SnapshotCodec();

    private final SnapshotSchema schema;

    public SnapshotRows(SnapshotSchema schema) {
        this.schema = schema;
    }

    @Override
    public Schema schema() {
        return schema.schema();
    }

    @Override
    public Converted convert(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return new Skip("a record without a value");
        }
        SlicedSnapshot snapshot;
        try {
            snapshot = SNAPSHOTS.decode(record.value());
        } catch (IllegalArgumentException e) {
            throw new OfflineException(
                    record.topic() + "-" + record.partition() + " offset " + record.offset()
                            + ": not a FeatureSnapshot: " + e.getMessage(),
                    e);
        }
        return new Row(snapshot.eventTs(), schema.row(snapshot, record.partition(), record.offset()));
    }
}
