package io.fathom.offline.internal;

import io.fathom.offline.internal.JoinRecords.RowRef;
import java.util.Iterator;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * Walks one bucket's rows beside its items (snapshots or events), both sorted by (entity, time), entities in
 * the order of {@link JoinRecords#compareKeys}: for each
 * row, the items of its entity from which the row can be served (time at or before the row's t) are taken
 * first, each once and in order; items of entities without rows are passed over. A bucket join says what
 * taking an item and answering a row mean.
 */
abstract class EntityWalk<T> {
    /** The rows of another entity begin. */
    abstract void startEntity();

    /** An item of the current entity, at or before the coming row's time. */
    abstract void take(T item);

    /** A row, after every item of its entity at or before its time was taken. */
    abstract void row(RowRef row);

    final void walk(Iterator<RowRef> rows, Iterator<T> items, Function<T, String> key, ToLongFunction<T> time) {
        T pending = items.hasNext() ? items.next() : null;
        String currentKey = null;
        while (rows.hasNext()) {
            RowRef row = rows.next();
            if (currentKey == null || JoinRecords.compareKeys(row.key(), currentKey) != 0) {
                currentKey = row.key();
                startEntity();
            }
            while (pending != null) {
                int order = JoinRecords.compareKeys(key.apply(pending), row.key());
                if (order > 0 || (order == 0 && time.applyAsLong(pending) > row.t())) {
                    break;
                }
                if (order == 0) {
                    take(pending);
                }
                pending = items.hasNext() ? items.next() : null;
            }
            row(row);
        }
    }
}
