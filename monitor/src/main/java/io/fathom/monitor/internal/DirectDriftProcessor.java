package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One view's snapshots, read from a topic of one partition, straight into its drift windows: a {@link
 * SnapshotDecoder} and a {@link DriftProcessor} in one processor, so a snapshot costs one hop through Kafka
 * Streams instead of one per step (decode, route, unwrap, windows). Dead letters, reports and alerts are forwarded
 * as the two would forward them.
 */
final class DirectDriftProcessor implements Processor<byte[], byte[], String, Output> {
    private final String view;
    private final SnapshotDecoder decoder;
    private final DriftProcessor windows;

    DirectDriftProcessor(
            String view, Map<String, DriftMonitor> monitors, DriftProcessor.Stores stores, MonitorListener listener) {
        this.view = view;
        this.decoder = new SnapshotDecoder(view, listener);
        this.windows = new DriftProcessor(monitors, stores, listener);
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        decoder.init(context);
        windows.init(context);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        DriftSample sample = decoder.decode(record);
        if (sample != null) {
            windows.process(view, decoder.partition(), sample);
        }
    }
}
