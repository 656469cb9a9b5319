package io.fathom.offline.internal;

import io.fathom.offline.internal.JoinEngine.ViewRequest;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * What the join reads beside the entity rows, and how it joins one bucket: the snapshot log (as known at
 * t) or the event history (event time). {@link JoinEngine} does the rest the same way for both: it buckets
 * rows and items by entity key, sorts them by (entity, time) with spilling, runs the scans and the bucket
 * joins on its pool, and writes the rows in input order.
 *
 * @param <T> the items read: snapshots or events
 */
abstract class JoinSide<T> {
    private final JoinRecords.Items<T> items;
    private final ScanCounts counts = new ScanCounts();

    JoinSide(JoinRecords.Items<T> items) {
        this.items = items;
    }

    /** How the items are sorted, spilled and bucketed. */
    final JoinRecords.Items<T> items() {
        return items;
    }

    /** Files read, items kept for the merge, and items read but not usable (skipped and counted). */
    final ScanCounts counts() {
        return counts;
    }

    /**
     * Tasks, one per file, that read the items of a view some entity row can use (a row time in {@code
     * coverage}, a key that {@code keys} might contain) and give each to {@code emit} (thread-safe).
     */
    abstract List<Callable<Void>> scans(
            int view, ViewRequest request, TimeCoverage coverage, KeyFilter keys, Consumer<T> emit) throws IOException;

    /** The join of one (view, bucket): a pure function of its sorted rows and items. */
    abstract BucketJoin<T> bucketJoin(int view, ViewRequest request);

    /** The join of one view's bucket: rows and items of the same entities, each sorted by (entity, time). */
    interface BucketJoin<T> {
        /**
         * Emits a result for every row that gets values (none for a row that gets nulls).
         *
         * @return the number of items that could not be used (skipped and counted)
         */
        long join(Iterator<RowRef> rows, Iterator<T> items, Consumer<Result> out);
    }
}
