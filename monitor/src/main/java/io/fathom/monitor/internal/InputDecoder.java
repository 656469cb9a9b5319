package io.fathom.monitor.internal;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.monitor.MonitorListener;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * A processor of one input topic's raw records ({@link SnapshotDecoder}, {@link BiasDecoders}): forwards
 * what it decodes, and sends the rest to the dead letters, the rejected bytes with why and where from in
 * the headers, telling the listener.
 */
abstract class InputDecoder implements Processor<byte[], byte[], String, Output> {
    private final MonitorListener listener;
    private ProcessorContext<String, Output> context;

    InputDecoder(MonitorListener listener) {
        this.listener = listener;
    }

    @Override
    public final void init(ProcessorContext<String, Output> context) {
        this.context = context;
    }

    /** The partition of the record being processed (0 where Kafka Streams does not say, as for a punctuation). */
    final int partition() {
        return context.recordMetadata().map(RecordMetadata::partition).orElse(0);
    }

    final void forward(Record<String, Output> output) {
        context.forward(output);
    }

    final void deadLetter(Record<byte[], byte[]> input, String reason, String message) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse("unknown");
        Headers headers = metadata.isPresent()
                ? DeadLetterHeaders.of(
                        reason,
                        message,
                        topic,
                        metadata.get().partition(),
                        metadata.get().offset())
                : DeadLetterHeaders.of(reason, message, topic);
        listener.onDeadLetter(reason, topic);
        context.forward(
                new Record<>(null, new Output.DeadLetter(input.key(), input.value()), input.timestamp(), headers));
    }
}
