package io.fathom.offline;

/**
 * An event-time training set asked for a view whose source has no event history at all (no archived
 * events under the offline store, no history dataset): an answer of nulls would look like data. The message
 * names the source and where its events were looked for, and suggests the as-known-at join.
 */
public final class NoEventHistoryException extends OfflineException {
    public NoEventHistoryException(String message) {
        super(message);
    }
}
