package io.fathom.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers on every record of Fathom's dead-letter topics ({@code fathom.dlq} of ingest, {@code
 * fathom.monitor.dlq}, {@code fathom.alerts.dlq}), as UTF-8 text. The record's key and value are the
 * rejected record's own (ingest writes the decoded fields as JSON when a view rejected the event).
 */
public final class DeadLetterHeaders {
    /**
     * Why, as a code: ingest's {@code InvalidEventException.Reason} ({@code undecodable}, {@code
     * missing_timestamp}, {@code late}, ...), the monitor's ({@code undecodable}, {@code invalid_json},
     * {@code missing_id}, ...), the alert dispatcher's delivery outcome ({@code exhausted}, {@code gone}, ...).
     */
    public static final String REASON = "fathom.dlq.reason";
    /** Human-readable detail naming the offending field or value. */
    public static final String MESSAGE = "fathom.dlq.message";

    public static final String SOURCE_TOPIC = "fathom.dlq.source.topic";
    public static final String SOURCE_PARTITION = "fathom.dlq.source.partition";
    public static final String SOURCE_OFFSET = "fathom.dlq.source.offset";
    /** Ingest: the view that rejected the event; absent when the event was rejected for every view. */
    public static final String VIEW = "fathom.dlq.view";
    /** Alert dispatcher: the endpoint that did not take the alert, or {@code none} when it was not an alert. */
    public static final String ENDPOINT = "fathom.dlq.endpoint";
    /** Alert dispatcher: the endpoint's last HTTP status, or {@code none} if no response came. */
    public static final String STATUS = "fathom.dlq.status";
    /** Alert dispatcher: the attempts made. */
    public static final String ATTEMPTS = "fathom.dlq.attempts";
    /** Alert dispatcher: the alert's {@code webhook-id}, which receivers deduplicate by. */
    public static final String WEBHOOK_ID = "fathom.dlq.webhook.id";

    private DeadLetterHeaders() {}

    /** New headers with the reason, the message and the source topic. */
    public static Headers of(String reason, String message, String sourceTopic) {
        Headers headers = new RecordHeaders();
        add(headers, REASON, reason);
        add(headers, MESSAGE, message);
        add(headers, SOURCE_TOPIC, sourceTopic);
        return headers;
    }

    /** New headers with the reason, the message and where the rejected record was read. */
    public static Headers of(
            String reason, String message, String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = of(reason, message, sourceTopic);
        add(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
        add(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
        return headers;
    }

    /** Adds one header, its value as UTF-8 ({@code "null"} for null); returns {@code headers}. */
    public static Headers add(Headers headers, String name, String value) {
        Objects.requireNonNull(name, "name");
        return headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }

    /** The last header of that name, as UTF-8 text. */
    public static Optional<String> read(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null
                ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }
}
