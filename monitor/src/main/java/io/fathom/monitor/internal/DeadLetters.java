package io.fathom.monitor.internal;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.monitor.MonitorListener;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds and forwards dead-letter records: the rejected bytes, why and where from in the headers. */
final class DeadLetters {
    private DeadLetters() {}

    static void forward(
            ProcessorContext<String, Output> context,
            MonitorListener listener,
            Record<byte[], byte[]> input,
            String reason,
            String message) {
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
