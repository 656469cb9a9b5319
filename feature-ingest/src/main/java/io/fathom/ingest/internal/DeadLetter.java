package io.fathom.ingest.internal;

import io.fathom.kafka.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/** Builds dead-letter records: the rejected bytes, with why and where from in the headers. */
final class DeadLetter {
    private DeadLetter() {}

    static Record<Object, Object> of(
            byte[] key,
            byte[] value,
            long timestamp,
            String reason,
            String message,
            String sourceTopic,
            int partition,
            long offset,
            String view) {
        Headers headers = DeadLetterHeaders.of(reason, message, sourceTopic, partition, offset);
        if (view != null) {
            DeadLetterHeaders.add(headers, DeadLetterHeaders.VIEW, view);
        }
        return new Record<>(key, value, timestamp, headers);
    }
}
