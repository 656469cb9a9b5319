package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.SnapshotCodec;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads one view's snapshots (schemas' {@link SnapshotCodec}, which slices them: the tile state is never
 * decoded, the values not yet) and keeps what drift needs, a {@link DriftSample} of the event time and the
 * encoded values, re-keyed by view (every window of a view lives in one task) and timestamped with the
 * event time. Undecodable snapshots, snapshots of another view and negative event times go to the dead
 * letters.
 */
final class SnapshotDecoder implements Processor<byte[], byte[], String, Output> {
    private static final SnapshotCodec CODEC = new SnapshotCodec();

    private final String view;
    private final MonitorListener listener;
    private ProcessorContext<String, Output> context;

    SnapshotDecoder(String view, MonitorListener listener) {
        this.view = view;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            DeadLetters.forward(context, listener, record, "undecodable", "snapshot has no value");
            return;
        }
        SlicedSnapshot snapshot;
        try {
            snapshot = CODEC.decode(record.value());
        } catch (IllegalArgumentException e) {
            DeadLetters.forward(context, listener, record, "undecodable", String.valueOf(e.getMessage()));
            return;
        }
        if (!view.equals(snapshot.view())) {
            DeadLetters.forward(
                    context,
                    listener,
                    record,
                    "wrong_view",
                    "snapshot of view " + snapshot.view() + " on the topic of view " + view);
            return;
        }
        long eventTs = snapshot.eventTs();
        if (eventTs < 0) {
            DeadLetters.forward(context, listener, record, "invalid_timestamp", "event_ts " + eventTs + " is negative");
            return;
        }
        context.forward(new Record<>(view, new Output.Sample(new DriftSample(eventTs, snapshot.values())), eventTs));
    }
}
