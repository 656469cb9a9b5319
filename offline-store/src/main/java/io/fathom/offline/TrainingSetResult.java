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
 * @param snapshotFilesRead files read after pruning by date: snapshot files as known at t, event files
 *     (archive and history datasets) in event time
 * @param snapshotsUsed rows kept for the merge after pruning by time and key: snapshots as known at t,
 *     events in event time
 * @param spilledBytes bytes written to spill files (0 when everything fit in memory)
 * @param elapsed wall-clock time of the whole join
 * @param eventsSkipped in event time, events of the history that could not be aggregated (no key, a bad
 *     time, undecodable, a field of the wrong type); 0 as known at t
 */
public record TrainingSetResult(
        Path output,
        long rows,
        List<String> columns,
        long snapshotFilesRead,
        long snapshotsUsed,
        long spilledBytes,
        Duration elapsed,
        long eventsSkipped) {
    public TrainingSetResult {
        columns = List.copyOf(columns);
    }
}
