package io.fathom.app.offline;

import io.fathom.offline.LatestStates;
import io.fathom.online.OnlineStore;
import io.fathom.online.StoredSnapshot;
import io.fathom.schemas.VersionedState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a backfill's latest states into the online store, in batches of {@value #BATCH}, each created now and
 * carrying its version, so the store keeps the later of it and what it holds (a re-run never moves a key
 * back). Thread-safe; {@link #close} writes the last batch.
 */
public final class OnlineLoad implements LatestStates, AutoCloseable {
    private static final int BATCH = 1_000;

    private final OnlineStore store;
    private final String view;
    private final Clock clock;
    private final List<StoredSnapshot> batch = new ArrayList<>(BATCH);
    private long written;

    public OnlineLoad(OnlineStore store, String view, Clock clock) {
        this.store = store;
        this.view = view;
        this.clock = clock;
    }

    @Override
    public synchronized void accept(String entityKey, VersionedState state) {
        batch.add(StoredSnapshot.of(
                view, entityKey, state.state().getLatestEventTs(), clock.millis(), state.state(), state.version()));
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** States written so far. */
    public synchronized long written() {
        return written;
    }

    @Override
    public synchronized void close() {
        flush();
    }

    private void flush() {
        if (!batch.isEmpty()) {
            store.write(List.copyOf(batch));
            written += batch.size();
            batch.clear();
        }
    }
}
