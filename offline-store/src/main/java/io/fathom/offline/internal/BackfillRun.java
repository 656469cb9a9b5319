package io.fathom.offline.internal;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.BackfillRequest;
import io.fathom.offline.BackfillResult;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.LatestStates;
import io.fathom.offline.OfflineException;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.ProgressListener.Stage;
import io.fathom.offline.internal.ExternalSorter.SortedItems;
import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * One backfill of one view ({@link io.fathom.offline.Backfill}), in three steps:
 *
 * <ol>
 *   <li><b>Scan</b>, in parallel over files: the view's source's events before {@code to} and inside the
 *       boundary ({@link ArchiveBound}), from the event history ({@link EventSide}'s readers), into the
 *       sorter of their key's bucket, ordered by (entity, event time, origin, position);
 *   <li><b>Replace</b>: delete the snapshot files an earlier backfill of the view wrote for the days this one
 *       writes;
 *   <li><b>Walk</b>, in parallel over buckets: {@link BackfillWalk} over the bucket's sorted events, its
 *       snapshots into files ({@link BackfillFiles}), committed when the bucket is done.
 * </ol>
 */
public record BackfillRun(
        FeatureDefinitions definitions,
        FileStore store,
        OfflineStoreConfig config,
        ExecutorService pool,
        JoinOptions options,
        Clock clock) {
    public BackfillResult run(
            BackfillRequest request, EventHistory history, JoinProgress progress, LatestStates latest) {
        long started = System.nanoTime();
        ViewDefinition view = definitions
                .view(request.view())
                .orElseThrow(() -> new OfflineException("no view " + request.view() + " (views: "
                        + definitions.views().stream().map(ViewDefinition::name).toList() + ")"));
        history.requireEvents(view.name());
        SpillDirectory spill = SpillDirectory.in(options.spillDirectory(), "fathom-backfill-");
        List<ExternalSorter<EventRef>> buckets = new ArrayList<>();
        try {
            long perSorter = Math.max(4096, options.memoryBudgetBytes() / options.buckets());
            ExternalSorter.Kind<EventRef> events = ExternalSorter.Kind.listed(
                    JoinRecords.EVENTS.kind().order(), JoinRecords.EVENTS.kind().codec());
            for (int b = 0; b < options.buckets(); b++) {
                buckets.add(new ExternalSorter<>(events, perSorter, spill.path(), "events-" + b));
            }
            EventSide side = new EventSide(history);
            scan(view, request, history, side, buckets, progress);
            long replaced = replace(view, request);
            Walked walked = walk(view, request, buckets, progress, latest);
            return new BackfillResult(
                    view.name(),
                    side.counts().files(),
                    walked.events.get(),
                    side.counts().skipped() + walked.skipped.get(),
                    walked.entities.get(),
                    walked.snapshots.get(),
                    walked.files.get(),
                    replaced,
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (IOException e) {
            throw new OfflineException("backfill of view " + view.name() + " failed: " + e.getMessage(), e);
        } finally {
            buckets.forEach(ExternalSorter::close);
            spill.close();
        }
    }

    private void scan(
            ViewDefinition view,
            BackfillRequest request,
            EventHistory history,
            EventSide side,
            List<ExternalSorter<EventRef>> buckets,
            JoinProgress progress)
            throws IOException {
        SourceDefinition source = definitions.sourceOf(view);
        long to = endMillis(request);
        // Every event before `to` can matter to the states: one "row time" just before it, unbounded reach.
        TimeCoverage.Builder coverage = new TimeCoverage.Builder();
        coverage.add(to - 1);
        EventFileReader.Reading reading = new EventFileReader.Reading(
                source,
                definitions.entityOf(view),
                ViewPlan.of(view).fields(),
                coverage.build(),
                Long.MAX_VALUE,
                key -> true,
                request.boundary().isEmpty() ? ArchiveBound.NONE : new ArchiveBound(request.boundary()),
                history.archiveStart(source),
                event -> buckets.get(JoinEngine.bucketOf(event.key(), buckets.size()))
                        .add(event),
                side.counts());
        Predicate<LocalDate> dateMatters = date -> Layout.startOf(date) < to;
        Tasks.runCounted(pool, side.scans(reading, dateMatters), progress, Stage.SCAN_EVENTS);
    }

    /** Deletes the files of earlier backfills of the view on the days this one writes; returns how many. */
    private long replace(ViewDefinition view, BackfillRequest request) throws IOException {
        String topic = BackfillFiles.topic(view.name());
        Optional<LocalDate> first = request.from().map(from -> Layout.date(from.toEpochMilli()));
        long to = endMillis(request);
        long deleted = 0;
        for (FileStore.Entry dateDir : store.list(Layout.viewDir(view.name()))) {
            Optional<LocalDate> date = Layout.parseDateDir(dateDir.name());
            if (!dateDir.directory()
                    || date.isEmpty()
                    || first.map(f -> date.get().isBefore(f)).orElse(false)
                    || Layout.startOf(date.get()) >= to) {
                continue;
            }
            String dir = Layout.dateDir(Layout.viewDir(view.name()), date.get());
            for (FileStore.Entry file : store.list(dir)) {
                Optional<SnapshotFileName> name = SnapshotFileName.parse(file.name());
                if (name.isPresent() && name.get().topic().equals(topic) && store.delete(dir + "/" + file.name())) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private record Walked(
            AtomicLong events, AtomicLong skipped, AtomicLong entities, AtomicLong snapshots, AtomicLong files) {
        Walked() {
            this(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong());
        }
    }

    private Walked walk(
            ViewDefinition view,
            BackfillRequest request,
            List<ExternalSorter<EventRef>> buckets,
            JoinProgress progress,
            LatestStates latest) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
        long firstSnapshot = request.from()
                .map(from -> Layout.startOf(Layout.date(from.toEpochMilli())))
                .orElse(Long.MIN_VALUE);
        BackfillFiles.Target target = new BackfillFiles.Target(
                store,
                config,
                view.name(),
                SnapshotSchema.of(view.name(), FeatureColumns.of(definitions, view)),
                latest,
                clock.millis());
        Walked walked = new Walked();
        long total = buckets.stream().mapToLong(ExternalSorter::count).sum();
        progress.start(Stage.BACKFILL, total);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int b = 0; b < buckets.size(); b++) {
            int bucket = b;
            tasks.add(() -> {
                long count = buckets.get(bucket).count();
                try (SortedItems<EventRef> events = buckets.get(bucket).sorted();
                        BackfillFiles files = new BackfillFiles(target, bucket)) {
                    BackfillWalk.Counts counts = new BackfillWalk(aggregator, firstSnapshot).walk(events, files);
                    walked.files.addAndGet(files.commit());
                    walked.snapshots.addAndGet(files.snapshots());
                    walked.events.addAndGet(counts.events());
                    walked.skipped.addAndGet(counts.skipped());
                    walked.entities.addAndGet(counts.entities());
                }
                progress.add(count);
                return null;
            });
        }
        Tasks.runAll(pool, tasks);
        progress.finish(total);
        return walked;
    }

    private static long endMillis(BackfillRequest request) {
        return request.to().map(Instant::toEpochMilli).orElse(Long.MAX_VALUE);
    }
}
