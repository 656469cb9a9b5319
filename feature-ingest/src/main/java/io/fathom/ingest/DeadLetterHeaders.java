package io.fathom.ingest;

/**
 * Headers on every record of the dead-letter topic. The value is the original event bytes when the
 * event was rejected before aggregation, or the decoded fields as JSON when it was rejected by a
 * view (late, wrong type).
 */
public final class DeadLetterHeaders {
    /** One of {@link io.fathom.core.InvalidEventException.Reason#code()}: undecodable, missing_timestamp, ... */
    public static final String REASON = "fathom.dlq.reason";
    /** Human-readable detail naming the offending field or value. */
    public static final String MESSAGE = "fathom.dlq.message";

    public static final String SOURCE_TOPIC = "fathom.dlq.source.topic";
    public static final String SOURCE_PARTITION = "fathom.dlq.source.partition";
    public static final String SOURCE_OFFSET = "fathom.dlq.source.offset";
    /** The view that rejected the event; absent when the event was rejected for every view. */
    public static final String VIEW = "fathom.dlq.view";

    private DeadLetterHeaders() {}
}
