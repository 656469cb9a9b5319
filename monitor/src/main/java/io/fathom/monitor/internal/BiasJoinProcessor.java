package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins predictions with labels by id within the label delay, whichever arrives first. A prediction
 * always counts at once (n, predicted positive) in the window of its event time; its label, when it
 * arrives within {@code labelDelay}, adds its cell of the confusion matrix to the same window. An
 * unmatched side waits in the pending store (id → expiry + input) until stream time passes its expiry;
 * an expired label is counted as {@code unmatched_label}. Output is keyed by model.
 */
final class BiasJoinProcessor implements Processor<String, BiasInput, String, Output> {
    private final String model;
    private final long labelDelay;
    private final String pendingStore;
    private final String expiryStore;
    private final MonitorListener listener;
    private ProcessorContext<String, Output> context;
    private KeyValueStore<String, byte[]> pending;
    private KeyValueStore<String, String> expiries;

    BiasJoinProcessor(
            String model, Duration labelDelay, String pendingStore, String expiryStore, MonitorListener listener) {
        this.model = model;
        this.labelDelay = labelDelay.toMillis();
        this.pendingStore = pendingStore;
        this.expiryStore = expiryStore;
        this.listener = listener;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.pending = context.getStateStore(pendingStore);
        this.expiries = context.getStateStore(expiryStore);
        Duration interval = Duration.ofMillis(Math.max(1_000, labelDelay / 4));
        context.schedule(interval, PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, BiasInput> record) {
        BiasInput input = record.value();
        byte[] stored = pending.get(input.id());
        BiasInput other = stored == null ? null : BiasInput.fromBytes(payload(stored));
        if (input instanceof BiasInput.Prediction p) {
            forward(Contribution.prediction(p), record.timestamp());
            if (other instanceof BiasInput.Label l) {
                forward(Contribution.label(p, l), record.timestamp());
                remove(input.id(), stored);
            } else {
                hold(p, record.timestamp());
            }
        } else {
            BiasInput.Label l = (BiasInput.Label) input;
            if (other instanceof BiasInput.Prediction p) {
                forward(Contribution.label(p, l), record.timestamp());
                remove(input.id(), stored);
            } else {
                hold(l, record.timestamp());
            }
        }
    }

    private void forward(Contribution contribution, long timestamp) {
        context.forward(new Record<>(model, new Output.Counted(contribution), timestamp));
    }

    private void hold(BiasInput input, long timestamp) {
        long expiry = Math.max(input.time(), timestamp) + labelDelay;
        byte[] stored = pending.get(input.id());
        if (stored != null) {
            expiries.delete(expiryKey(expiryOf(stored), input.id()));
        }
        byte[] bytes = BiasInput.toBytes(input);
        pending.put(
                input.id(),
                ByteBuffer.allocate(8 + bytes.length).putLong(expiry).put(bytes).array());
        expiries.put(expiryKey(expiry, input.id()), input.id());
    }

    private void remove(String id, byte[] stored) {
        pending.delete(id);
        expiries.delete(expiryKey(expiryOf(stored), id));
    }

    private void expire(long streamTime) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = expiries.range(expiryKey(0, ""), expiryKey(streamTime, "\uffff"))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            expiries.delete(entry.key);
            byte[] stored = pending.get(entry.value);
            if (stored != null && expiryKey(expiryOf(stored), entry.value).equals(entry.key)) {
                if (BiasInput.fromBytes(payload(stored)) instanceof BiasInput.Label) {
                    listener.onSkipped("unmatched_label", model);
                }
                pending.delete(entry.value);
            }
        }
    }

    private static String expiryKey(long expiry, String id) {
        return String.format("%019d", Math.max(0, expiry)) + DriftProcessor.SEP + id;
    }

    private static long expiryOf(byte[] stored) {
        return ByteBuffer.wrap(stored).getLong();
    }

    private static byte[] payload(byte[] stored) {
        byte[] payload = new byte[stored.length - 8];
        System.arraycopy(stored, 8, payload, 0, payload.length);
        return payload;
    }
}
