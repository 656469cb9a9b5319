package io.fathom.ingest;

import io.fathom.schemas.ViewDefinition;
import java.util.Objects;

/**
 * Topic names of one ingest application: the dead-letter topic, each view's snapshot topic, the per-view
 * topic that re-keys decoded events by entity (so that an entity's state lives in one task), with its
 * partition count: an entity lives in partition {@code murmur2(key) % partitions}, and the changelog of each
 * view's states.
 */
public record IngestTopics(String applicationId, String deadLetterTopic, int partitions) {
    public static final String DEFAULT_DLQ = "fathom.dlq";

    public IngestTopics {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
    }

    /** The default dead-letter topic, and re-keyed event topics of {@code partitions} partitions. */
    public static IngestTopics defaults(String applicationId, int partitions) {
        return new IngestTopics(applicationId, DEFAULT_DLQ, partitions);
    }

    public String snapshots(ViewDefinition view) {
        return view.snapshotTopic();
    }

    public String rekeyed(ViewDefinition view) {
        return applicationId + "." + view.name() + ".events";
    }

    /** The name of the state store of a view's entity states (a RocksDB store, changelogged). */
    public static String stateStore(ViewDefinition view) {
        return "state-" + view.name();
    }

    /** The changelog topic Kafka Streams keeps the view's entity states in. */
    public String stateChangelog(ViewDefinition view) {
        return applicationId + "-" + stateStore(view) + "-changelog";
    }
}
