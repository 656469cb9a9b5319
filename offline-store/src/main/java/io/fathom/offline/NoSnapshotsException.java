package io.fathom.offline;

/**
 * A training set asked for a view of which the offline store holds no snapshot file at all (the store's
 * root does not exist, or the view was never written there): an answer of nulls would look like data.
 */
public final class NoSnapshotsException extends OfflineException {
    public NoSnapshotsException(String message) {
        super(message);
    }
}
