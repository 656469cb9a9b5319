package io.fathom.offline;

import java.time.Duration;

/**
 * What a backfill did.
 *
 * @param view the view
 * @param filesRead event files read
 * @param events events aggregated (an event read twice counts once)
 * @param skipped events that could not be aggregated (no key, bad time, undecodable, a wrong type)
 * @param entities entities with at least one aggregated event
 * @param snapshots snapshots written to the snapshot log
 * @param snapshotFiles snapshot files written
 * @param replacedFiles snapshot files of an earlier backfill of the view that these replaced
 * @param elapsed wall-clock time
 */
public record BackfillResult(
        String view,
        long filesRead,
        long events,
        long skipped,
        long entities,
        long snapshots,
        long snapshotFiles,
        long replacedFiles,
        Duration elapsed) {}
