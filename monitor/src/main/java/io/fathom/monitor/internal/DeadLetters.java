package io.fathom.monitor.internal;

import io.fathom.monitor.DeadLetterHeaders;
import io.fathom.monitor.MonitorListener;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
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
        Headers headers = new RecordHeaders();
        Optional<RecordMetadata> metadata = context.recordMetadata();
        String topic = metadata.map(RecordMetadata::topic).orElse("unknown");
        add(headers, DeadLetterHeaders.REASON, reason);
        add(headers, DeadLetterHeaders.MESSAGE, message);
        add(headers, DeadLetterHeaders.SOURCE_TOPIC, topic);
        metadata.ifPresent(m -> {
            add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(m.partition()));
            add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(m.offset()));
        });
        listener.onDeadLetter(reason, topic);
        context.forward(
                new Record<>(null, new Output.DeadLetter(input.key(), input.value()), input.timestamp(), headers));
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }
}
