package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.EntityState;
import io.fathom.schemas.avro.FeatureSnapshot;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Decodes one view's snapshots and keeps what drift needs: the event time and the evaluated values,
 * re-keyed by view (every window of a view lives in one task) and timestamped with the event time.
 * Undecodable snapshots, snapshots of another view and negative event times go to the dead letters.
 */
final class SnapshotDecoder implements Processor<byte[], byte[], String, Output> {
    private static final AvroCodec<FeatureSnapshot> CODEC = AvroCodec.of(FeatureSnapshot.getClassSchema());

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
        FeatureSnapshot snapshot;
        try {
            snapshot = CODEC.decode(record.value());
        } catch (IllegalArgumentException e) {
            DeadLetters.forward(context, listener, record, "undecodable", String.valueOf(e.getMessage()));
            return;
        }
        if (!view.equals(snapshot.getView())) {
            DeadLetters.forward(
                    context,
                    listener,
                    record,
                    "wrong_view",
                    "snapshot of view " + snapshot.getView() + " on the topic of view " + view);
            return;
        }
        long eventTs = snapshot.getEventTs();
        if (eventTs < 0) {
            DeadLetters.forward(context, listener, record, "invalid_timestamp", "event_ts " + eventTs + " is negative");
            return;
        }
        FeatureSnapshot stripped = FeatureSnapshot.newBuilder()
                .setView(snapshot.getView())
                .setEntityKey(snapshot.getEntityKey())
                .setEventTs(eventTs)
                .setCreatedTs(snapshot.getCreatedTs())
                .setState(new EntityState(eventTs, List.of(), List.of()))
                .setValues(snapshot.getValues())
                .build();
        context.forward(new Record<>(view, new Output.Snapshot(stripped), eventTs));
    }
}
