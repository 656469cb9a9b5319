package io.fathom.ingest.internal;

import io.fathom.core.InvalidEventException;
import io.fathom.ingest.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/** Builds dead-letter records: the rejected bytes, with why and where from in the headers. */
final class DeadLetter {
    private DeadLetter() {}

    static Record<Object, Object> of(
            byte[] key,
            byte[] value,
            long timestamp,
            InvalidEventException error,
            String sourceTopic,
            int partition,
            long offset,
            String view) {
        Headers headers = new RecordHeaders();
        add(headers, DeadLetterHeaders.REASON, error.reason().code());
        add(headers, DeadLetterHeaders.MESSAGE, error.getMessage());
        add(headers, DeadLetterHeaders.SOURCE_TOPIC, sourceTopic);
        add(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(partition));
        add(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(offset));
        if (view != null) {
            add(headers, DeadLetterHeaders.VIEW, view);
        }
        return new Record<>(key, value, timestamp, headers);
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
