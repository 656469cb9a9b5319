package io.fathom.offline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A training set to build from a file of entity rows.
 *
 * @param entityRows a {@code .csv} (with a header) or {@code .parquet} file: the key columns of every
 *     requested view's entity, and the timestamp column; any other column is carried to the output as is
 * @param features {@code view:feature}, or {@code view:*} for all of a view's features
 * @param output a {@code .parquet} or {@code .csv} file (replaced if it exists; written under a temporary
 *     name and renamed at the end, so a failed join leaves no partial output)
 * @param asKnownAt also require {@code created_ts <= t}: exactly what the online store could have served at t
 * @param timestampColumn the column with each row's time: epoch millis, or ISO-8601 with an offset
 */
public record TrainingSetRequest(
        Path entityRows, List<String> features, Path output, boolean asKnownAt, String timestampColumn) {
    public static final String DEFAULT_TIMESTAMP_COLUMN = "event_timestamp";

    public TrainingSetRequest {
        Objects.requireNonNull(entityRows, "entityRows");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(timestampColumn, "timestampColumn");
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a training set needs at least one feature (view:feature or view:*)");
        }
    }

    /** Point-in-time (not as-known-at), timestamps in {@value #DEFAULT_TIMESTAMP_COLUMN}. */
    public static TrainingSetRequest of(Path entityRows, List<String> features, Path output) {
        return new TrainingSetRequest(entityRows, features, output, false, DEFAULT_TIMESTAMP_COLUMN);
    }

    public TrainingSetRequest withAsKnownAt(boolean value) {
        return new TrainingSetRequest(entityRows, features, output, value, timestampColumn);
    }

    public TrainingSetRequest withTimestampColumn(String column) {
        return new TrainingSetRequest(entityRows, features, output, asKnownAt, column);
    }
}
