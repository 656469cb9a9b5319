package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads one view's snapshots (schemas' {@link SnapshotCodec}, which slices them: the tile state is never
 * decoded, the values not yet) and keeps what drift needs, a {@link DriftSample} of the event time and the
 * encoded values, re-keyed by view (every window of a view lives in one task), timestamped with the
 * event time and carrying the partition it was read from (the view's watermark is kept over them). Undecodable snapshots, snapshots of another view and negative event times go to the dead
 * letters.
 */
final class SnapshotDecoder extends InputDecoder {
    private static final SnapshotCodec CODEC = new SnapshotCodec();

    private final String view;

    SnapshotDecoder(String view, MonitorListener listener) {
        super(listener);
        this.view = view;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DriftSample sample = decode(record);
        if (sample != null) {
            forward(new Record<>(
                    view, new Output.Sample(sample), sample.eventTs(), DriftSample.partitionHeader(partition())));
        }
    }

    /** The record's sample, or null when the record went to the dead letters. */
    DriftSample decode(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            deadLetter(record, "undecodable", "snapshot has no value");
            return null;
        }
        SlicedSnapshot snapshot;
        try {
            snapshot = CODEC.decode(record.value());
        } catch (IllegalArgumentException e) {
            deadLetter(record, "undecodable", String.valueOf(e.getMessage()));
            return null;
        }
        if (!view.equals(snapshot.view())) {
            deadLetter(record, "wrong_view", "snapshot of view " + snapshot.view() + " on the topic of view " + view);
            return null;
        }
        long eventTs = snapshot.eventTs();
        if (eventTs < 0) {
            deadLetter(record, "invalid_timestamp", "event_ts " + eventTs + " is negative");
            return null;
        }
        return new DriftSample(eventTs, snapshot.values());
    }
}
