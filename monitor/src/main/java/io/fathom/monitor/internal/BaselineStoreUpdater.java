package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.drift.Baseline;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of baselines (key = view, value = baseline JSON, UTF-8) from the compacted topic.
 * A baseline that does not parse, or whose view is not its key, is not stored (the previous one stays)
 * and is logged and counted; a tombstone removes the view's baseline.
 */
final class BaselineStoreUpdater implements Processor<String, String, Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineStoreUpdater.class);

    private final String storeName;
    private final MonitorListener listener;
    private KeyValueStore<String, byte[]> store;

    BaselineStoreUpdater(String storeName, MonitorListener listener) {
        this.storeName = storeName;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.key() == null) {
            LOG.warn("ignored a baseline without a key (the key must be the view name)");
            listener.onSkipped("invalid_baseline", "unknown");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
            return;
        }
        try {
            Baseline baseline = Baseline.fromJson(record.value());
            if (!baseline.view().equals(record.key())) {
                throw new IllegalArgumentException(
                        "baseline of view " + baseline.view() + " published under key " + record.key());
            }
            store.put(record.key(), record.value().getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            LOG.warn("ignored an invalid baseline for view {}: {}", record.key(), e.getMessage());
            listener.onSkipped("invalid_baseline", record.key());
        }
    }
}
