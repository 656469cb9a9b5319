package io.fathom.offline;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a point-in-time join produced.
 *
 * @param output the file written
 * @param rows entity rows in, and so rows out
 * @param columns the output columns: the entity rows' columns, then {@code <view>__<feature>}
 * @param snapshotFilesRead snapshot files read (after pruning by date)
 * @param snapshotsUsed snapshot rows kept for the merge (after pruning by time and key)
 * @param spilledBytes bytes written to spill files (0 when everything fit in memory)
 * @param elapsed wall-clock time of the whole join
 */
public record TrainingSetResult(
        Path output,
        long rows,
        List<String> columns,
        long snapshotFilesRead,
        long snapshotsUsed,
        long spilledBytes,
        Duration elapsed) {
    public TrainingSetResult {
        columns = List.copyOf(columns);
    }
}
