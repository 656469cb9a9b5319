package io.fathom.offline;

import java.time.LocalDate;

/**
 * What one compaction of a view's date did.
 *
 * @param filesBefore committed files in the date directory before
 * @param filesAfter committed files after
 * @param rowsWritten rows written to merged files
 * @param duplicateRowsDropped rows present in more than one input (same partition and offset), kept once
 */
public record CompactionResult(
        String view, LocalDate date, int filesBefore, int filesAfter, long rowsWritten, long duplicateRowsDropped) {}
