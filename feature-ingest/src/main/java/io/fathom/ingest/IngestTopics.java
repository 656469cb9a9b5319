package io.fathom.ingest;

import io.fathom.schemas.ViewDefinition;
import java.util.Objects;

/**
 * Topic names of one ingest application: the dead-letter topic, each view's snapshot topic, and the
 * per-view topic that re-keys decoded events by entity (so that an entity's state lives in one task).
 */
public record IngestTopics(String applicationId, String deadLetterTopic) {
    public static final String DEFAULT_DLQ = "fathom.dlq";

    public IngestTopics {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    }

    public static IngestTopics defaults(String applicationId) {
        return new IngestTopics(applicationId, DEFAULT_DLQ);
    }

    public String snapshots(ViewDefinition view) {
        return view.snapshotTopic();
    }

    public String rekeyed(ViewDefinition view) {
        return applicationId + "." + view.name() + ".events";
    }
}
