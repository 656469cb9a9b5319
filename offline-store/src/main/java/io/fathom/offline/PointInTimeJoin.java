package io.fathom.offline;

import io.fathom.offline.internal.ColumnType;
import io.fathom.offline.internal.EntityRowSource;
import io.fathom.offline.internal.EventHistory;
import io.fathom.offline.internal.FeatureColumns;
import io.fathom.offline.internal.FileStore;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.JoinEngine;
import io.fathom.offline.internal.JoinProgress;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.ListRowSource;
import io.fathom.offline.internal.ListSink;
import io.fathom.offline.internal.Tasks;
import io.fathom.offline.internal.TrainingSetSink;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Builds training sets: for each entity row (keys, t) and each requested view, the view's features as
 * they were at t (docs/semantics.md, "Point-in-time join"):
 *
 * <ul>
 *   <li>by default, in event time: every event of the row's entity with event time {@code <= t}, from the
 *       event history (the events the offline writer archives under {@code _events/<source>}, and the
 *       source's history datasets), added in event-time order to a fresh state with core's {@code
 *       TileAggregator.add} and evaluated at t with {@code TileAggregator.evaluate(state, t)}, the
 *       functions ingest and the online store use, whatever the order the events arrived in and whether
 *       or not the stream dead-lettered them as late;
 *   <li>as known at t, from the snapshot log: the snapshot of the row's entity with the greatest {@code
 *       event_ts <= t} (ties: greatest {@code created_ts}, then the later Kafka offset) and {@code
 *       created_ts <= t}, its windows evaluated at t — what the online store could have served at t;
 *   <li>nulls when the entity has no event (no snapshot) within ttl before t; every entity row kept once,
 *       in input order;
 *   <li>output columns {@code <view>__<feature>} after the entity rows' own columns.
 * </ul>
 *
 * Thread-safe: joins may run concurrently and share the worker pool, which {@link #close()} stops.
 *
 * <pre>{@code
 * try (PointInTimeJoin join = new PointInTimeJoin(definitions, OfflineStoreConfig.builder(dir).build(), JoinOptions.builder().build())) {
 *     TrainingSetResult result = join.write(
 *             TrainingSetRequest.of(Path.of("rows.csv"), List.of("user_txn:*"), Path.of("train.parquet")),
 *             (stage, done, total) -> System.err.printf("%s %d/%d%n", stage, done, total));
 * }
 * }</pre>
 */
public final class PointInTimeJoin implements AutoCloseable {
    /** The separator of output column names: {@code <view>__<feature>}. */
    public static final String COLUMN_SEPARATOR = "__";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PointInTimeJoin.class);

    private final FeatureDefinitions definitions;
    private final OfflineStoreConfig config;
    private final Map<String, List<URI>> historyDatasets;
    private final FileStore store;
    private final ExecutorService pool;
    private final JoinOptions options;

    /** A join over the offline store: its event history is the archive and the sources' {@code history:}. */
    public PointInTimeJoin(FeatureDefinitions definitions, OfflineStoreConfig store, JoinOptions options) {
        this(definitions, store, options, Map.of());
    }

    /**
     * A join over the offline store and, per source name, history datasets besides the sources' own {@code
     * history:}: Parquet files of the source's past events (its fields as columns) anywhere under each URI,
     * read for event times before the archive's earliest.
     */
    public PointInTimeJoin(
            FeatureDefinitions definitions,
            OfflineStoreConfig store,
            JoinOptions options,
            Map<String, List<URI>> historyDatasets) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.options = Objects.requireNonNull(options, "options");
        this.config = Objects.requireNonNull(store, "store");
        this.historyDatasets = Map.copyOf(historyDatasets);
        this.store = HadoopFileStore.open(store);
        this.pool = Tasks.daemonPool(options.threads(), "fathom-join");
    }

    /**
     * Joins the entity rows of a file and writes the training set (see {@link TrainingSetRequest}).
     *
     * @throws EntityRowsException when the entity rows lack a column or hold a bad key or timestamp
     * @throws NoEventHistoryException in event time, for a view whose source has no event history at all
     * @throws NoSnapshotsException as known at t, for a view without any snapshot file
     * @throws OfflineException for unknown views or features, and when the store cannot be read
     */
    public TrainingSetResult write(TrainingSetRequest request, ProgressListener listener) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        long started = System.nanoTime();
        List<JoinEngine.ViewRequest> views = resolve(request.features());
        EntityRowSource source = EntityRowSource.file(request.entityRows());
        List<String> columns = columnsOf(views);
        for (String column : columns) {
            if (source.columns().contains(column)) {
                throw new OfflineException(source.describe() + " has a column " + column
                        + ", which is also a requested feature's output column");
            }
        }
        JoinEngine.Stats stats;
        try (TrainingSetSink sink = TrainingSetSink.file(request.output(), source, columns, outputTypes(views))) {
            stats = run(
                    new JoinEngine.Request(views, source, request.timestampColumn()),
                    request.asKnownAt(),
                    sink,
                    new JoinProgress(listener));
        } catch (IOException e) {
            throw new OfflineException("cannot write training set " + request.output() + ": " + e.getMessage(), e);
        }
        List<String> all = new ArrayList<>(source.columns());
        all.addAll(columns);
        return new TrainingSetResult(
                request.output(),
                stats.rows(),
                all,
                stats.files(),
                stats.itemsUsed(),
                stats.spilledBytes(),
                Duration.ofNanos(System.nanoTime() - started),
                stats.skipped());
    }

    /**
     * Joins entity rows given in memory (an HTTP request's, a test's) and returns the rows with their
     * features, in input order: in event time, or from the snapshot log when {@code asKnownAt}. Each row's
     * keys must hold every key column of the requested views' entities.
     *
     * @throws NoEventHistoryException in event time, for a view whose source has no event history at all
     * @throws NoSnapshotsException as known at t, for a view without any snapshot file
     */
    public List<TrainingRow> join(List<EntityRow> rows, List<String> features, boolean asKnownAt) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(features, "features");
        List<JoinEngine.ViewRequest> views = resolve(features);
        Set<String> keyColumns = new LinkedHashSet<>();
        views.forEach(view -> keyColumns.addAll(view.keyColumns()));
        String timestampColumn = "\u0000timestamp";
        ListRowSource source = new ListRowSource(rows, List.copyOf(keyColumns), timestampColumn);
        ListSink sink = new ListSink(
                rows,
                columnsOf(views),
                views.stream().map(JoinEngine.ViewRequest::view).toList());
        run(
                new JoinEngine.Request(views, source, timestampColumn),
                asKnownAt,
                sink,
                new JoinProgress(ProgressListener.NONE));
        return sink.rows();
    }

    private JoinEngine.Stats run(
            JoinEngine.Request request, boolean asKnownAt, TrainingSetSink sink, JoinProgress progress) {
        JoinEngine engine = new JoinEngine(store, pool, options);
        if (asKnownAt) {
            requireSnapshotFiles(request.views());
            return engine.runAsKnownAt(request, sink, progress);
        }
        try (EventHistory history = EventHistory.open(definitions, store, config, historyDatasets)) {
            request.views().forEach(view -> history.requireEvents(view.view()));
            JoinEngine.Stats stats = engine.runEventTime(request, history, sink, progress);
            if (stats.skipped() > 0) {
                LOG.warn(
                        "event-time join: {} events skipped (no key, bad time, undecodable or of a wrong type)",
                        stats.skipped());
            }
            return stats;
        }
    }

    /**
     * As known at t, fails when the store's root does not exist or a requested view has no date directory
     * under it: rows for which no snapshot is in range get nulls, but a view without any file is a wrong
     * path or a view never written, and must not pass for data. (In event time, {@link
     * EventHistory#requireEvents} does the same for the events.)
     */
    private void requireSnapshotFiles(List<JoinEngine.ViewRequest> views) {
        try {
            if (!store.exists("")) {
                throw new NoSnapshotsException("offline store " + store.describe("") + " does not exist");
            }
            for (JoinEngine.ViewRequest view : views) {
                String dir = Layout.viewDir(view.view());
                boolean any = store.list(dir).stream()
                        .anyMatch(entry -> entry.directory()
                                && Layout.parseDateDir(entry.name()).isPresent());
                if (!any) {
                    throw new NoSnapshotsException("no snapshot files of view " + view.view() + " under "
                            + store.describe(dir) + " (is --offline the store the writer of this view writes to?)");
                }
            }
        } catch (IOException e) {
            throw new OfflineException(
                    "cannot list the offline store " + store.describe("") + ": " + e.getMessage(), e);
        }
    }

    /** The output columns of a feature list, {@code <view>__<feature>}, in order (for headers and schemas). */
    public List<String> outputColumns(List<String> features) {
        return columnsOf(resolve(features));
    }

    private static List<String> columnsOf(List<JoinEngine.ViewRequest> views) {
        List<String> columns = new ArrayList<>();
        for (JoinEngine.ViewRequest view : views) {
            for (String feature : view.features()) {
                columns.add(view.view() + COLUMN_SEPARATOR + feature);
            }
        }
        return columns;
    }

    private static List<ColumnType> outputTypes(List<JoinEngine.ViewRequest> views) {
        List<ColumnType> types = new ArrayList<>();
        views.forEach(view -> types.addAll(view.types()));
        return types;
    }

    /** {@code view:feature} and {@code view:*} references, grouped by view in first-mention order. */
    private List<JoinEngine.ViewRequest> resolve(List<String> features) {
        if (features.isEmpty()) {
            throw new OfflineException("no features requested (give view:feature or view:*)");
        }
        Map<String, LinkedHashSet<String>> byView = new LinkedHashMap<>();
        for (String reference : features) {
            int colon = reference.indexOf(':');
            if (colon <= 0 || colon == reference.length() - 1) {
                throw new OfflineException("feature \"" + reference + "\" is not view:feature or view:*");
            }
            String viewName = reference.substring(0, colon);
            String feature = reference.substring(colon + 1);
            ViewDefinition view = definitions
                    .view(viewName)
                    .orElseThrow(() -> new OfflineException("feature \""
                            + reference + "\": no view " + viewName + " (views: "
                            + definitions.views().stream()
                                    .map(ViewDefinition::name)
                                    .toList() + ")"));
            LinkedHashSet<String> chosen = byView.computeIfAbsent(viewName, k -> new LinkedHashSet<>());
            List<String> known = view.features().stream().map(f -> f.name()).toList();
            if (feature.equals("*")) {
                chosen.addAll(known);
            } else if (!known.contains(feature)) {
                throw new OfflineException("feature \"" + reference + "\": view " + viewName + " has no feature "
                        + feature + " (features: " + known + ")");
            } else if (!chosen.add(feature)) {
                throw new OfflineException("feature \"" + reference + "\" is requested twice");
            }
        }
        List<JoinEngine.ViewRequest> requests = new ArrayList<>();
        for (Map.Entry<String, LinkedHashSet<String>> entry : byView.entrySet()) {
            ViewDefinition view = definitions.view(entry.getKey()).orElseThrow();
            EntityDefinition entity = definitions.entityOf(view);
            Map<String, ColumnType> types = new HashMap<>();
            FeatureColumns.of(definitions, view).forEach(c -> types.put(c.feature(), c.type()));
            List<String> chosen = List.copyOf(entry.getValue());
            requests.add(JoinEngine.ViewRequest.of(
                    view, entity.keys(), chosen, chosen.stream().map(types::get).toList()));
        }
        return requests;
    }

    @Override
    public void close() {
        pool.shutdownNow();
        store.close();
    }
}
