package io.fathom.monitor;

/**
 * Headers on every record of the monitor's dead-letter topic (the same names as ingest's). The value
 * is the original input bytes, the key the original key.
 */
public final class DeadLetterHeaders {
    /** Why: {@code undecodable}, {@code invalid_json}, {@code missing_id}, {@code missing_prediction}, ... */
    public static final String REASON = "fathom.dlq.reason";
    /** Human-readable detail naming the offending field or value. */
    public static final String MESSAGE = "fathom.dlq.message";

    public static final String SOURCE_TOPIC = "fathom.dlq.source.topic";
    public static final String SOURCE_PARTITION = "fathom.dlq.source.partition";
    public static final String SOURCE_OFFSET = "fathom.dlq.source.offset";

    private DeadLetterHeaders() {}
}
