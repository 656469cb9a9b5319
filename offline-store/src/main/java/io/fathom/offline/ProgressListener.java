package io.fathom.offline;

/**
 * Hears how far a point-in-time join (or a backfill) has got, e.g. to drive a CLI progress bar. Calls come one at a
 * time (never concurrently), in stage order, at most every few thousand items per stage, and once at
 * the end of each stage with {@code done == total}.
 */
@FunctionalInterface
public interface ProgressListener {
    /** The stages of a join, in order. */
    enum Stage {
        /** Reading the entity rows; total is unknown (-1) until the end. */
        READ_ENTITY_ROWS,
        /** Reading snapshot files; counted in files. */
        SCAN_SNAPSHOTS,
        /** Merging rows with snapshots and evaluating windows; counted in (row, view) pairs. */
        JOIN,
        /** Writing the output; counted in rows. */
        WRITE,
        /** Reading event files for a backfill; counted in files. */
        SCAN_EVENTS,
        /** Aggregating a backfill's events in event-time order and writing snapshots; counted in events. */
        BACKFILL
    }

    ProgressListener NONE = (stage, done, total) -> {};

    void onProgress(Stage stage, long done, long total);
}
