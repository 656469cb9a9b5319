package io.fathom.offline;

import io.fathom.offline.internal.BackfillRun;
import io.fathom.offline.internal.EventHistory;
import io.fathom.offline.internal.FileStore;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.JoinProgress;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.Tasks;
import io.fathom.offline.internal.WriterLoop;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * Computes a view's history from the event history, for a view added to (or changed in) the definitions after
 * its events were ingested: every event of the view's source (the archive under {@code _events/<source>} and
 * the source's {@code history:} datasets, up to a boundary), per entity in event-time order through core's
 * {@code TileAggregator} — the aggregation ingest runs — into
 *
 * <ul>
 *   <li>the view's snapshot log: one snapshot per event, dated and created at its event time (as if the view
 *       had been streaming then with nothing late), in files named {@code backfill.<view>+<bucket>+…} beside
 *       the writer's, so as-known-at training sets, baselines and anything else reading the log serve the view;
 *   <li>each entity's latest state and version (the number of its events), given to a {@link LatestStates}, to
 *       load into the online store and ingest's state.
 * </ul>
 *
 * <p>Re-running replaces the snapshot files an earlier backfill of the view wrote on the days written (the
 * files are deleted before the new ones are written, so a training set running meanwhile may miss those days).
 * Event-time training sets need no backfill: they read the event history directly.
 *
 * <pre>{@code
 * try (Backfill backfill = new Backfill(definitions, OfflineStoreConfig.builder(dir).build(), JoinOptions.builder().build(), Clock.systemUTC())) {
 *     BackfillResult result = backfill.run(BackfillRequest.builder("user_txn").build(), ProgressListener.NONE, LatestStates.NONE);
 * }
 * }</pre>
 */
public final class Backfill implements AutoCloseable {
    private final FeatureDefinitions definitions;
    private final OfflineStoreConfig config;
    private final JoinOptions options;
    private final Clock clock;
    private final FileStore store;
    private final ExecutorService pool;

    public Backfill(FeatureDefinitions definitions, OfflineStoreConfig store, JoinOptions options, Clock clock) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.config = Objects.requireNonNull(store, "store");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.store = HadoopFileStore.open(store);
        this.pool = Tasks.daemonPool(options.threads(), "fathom-backfill");
    }

    /**
     * Backfills one view.
     *
     * @param latest receives every entity's latest state, from several threads at once
     * @throws NoEventHistoryException when the view's source has no event history at all
     * @throws OfflineException for an unknown view, and when the store cannot be read or written
     */
    public BackfillResult run(BackfillRequest request, ProgressListener listener, LatestStates latest) {
        Objects.requireNonNull(request, "request");
        try (EventHistory history = EventHistory.open(definitions, store, config, Map.of())) {
            return new BackfillRun(definitions, store, config, pool, options, clock)
                    .run(request, history, new JoinProgress(listener), latest);
        }
    }

    /**
     * Per partition of the view's source topic, one past the greatest offset in the archive (no entry for a
     * partition with nothing archived). The offline writer archives each partition's events in offset order,
     * each file starting where the last ended, so every event before it is in the archive.
     */
    public Map<Integer, Long> archivedThrough(String view) {
        SourceDefinition source = definitions.sourceOf(definitions
                .view(view)
                .orElseThrow(() -> new OfflineException("no view " + view + " in the definitions")));
        try {
            Map<Integer, Long> through = new HashMap<>();
            WriterLoop.committedEnds(store, Layout.eventsDir(source.name()), source.topic())
                    .forEach((partition, end) -> through.put(partition, end + 1));
            return through;
        } catch (IOException e) {
            throw new OfflineException("cannot list the event archive of " + source.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        store.close();
    }
}
