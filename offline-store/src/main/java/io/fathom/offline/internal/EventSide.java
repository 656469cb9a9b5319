package io.fathom.offline.internal;

import io.fathom.core.TimeMath;
import io.fathom.offline.internal.EventHistory.EventFile;
import io.fathom.offline.internal.JoinEngine.ViewRequest;
import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The event history as the event-time join reads it ({@link EventHistory}): per view, the files of its
 * source whose dates some row can use, each read by an {@link EventFileReader}; the bucket join is {@link
 * EventTimeBucketJoin}.
 *
 * <p>An event at time {@code ts} can matter to rows with t in {@code [ts, ts + reach]}: reach is the
 * greater of the ttl and the longest requested window plus the granularity, or unbounded when a requested
 * feature has no window ({@code first}/{@code last} over the whole history). Date directories, row groups
 * (by {@code _event_ts} statistics) and events outside every row's reach are not read.
 */
final class EventSide extends JoinSide<EventRef> {
    private final EventHistory history;

    EventSide(EventHistory history) {
        super(JoinRecords.EVENTS);
        this.history = history;
    }

    @Override
    BucketJoin<EventRef> bucketJoin(int v, ViewRequest view) {
        return new EventTimeBucketJoin(v, view);
    }

    @Override
    List<Callable<Void>> scans(
            int v, ViewRequest request, TimeCoverage coverage, KeyFilter keys, Consumer<EventRef> emit)
            throws IOException {
        ViewDefinition view = history.definitions().view(request.view()).orElseThrow();
        SourceDefinition source = history.definitions().sourceOf(view);
        long reach = reach(view, request);
        Predicate<LocalDate> dateMatters =
                date -> coverage.anyIn(Layout.startOf(date), TimeMath.plus(Layout.endOf(date), reach));
        long archiveStart = history.archiveStart(source);
        EventFileReader.Reading reading = new EventFileReader.Reading(
                source,
                history.definitions().entityOf(view),
                request.aggregator().plan().fields(),
                coverage,
                reach,
                keys::mightContain,
                ArchiveBound.NONE,
                archiveStart,
                emit,
                counts());
        return scans(reading, dateMatters);
    }

    /** Tasks, one per file of the reading's source whose date {@code dateMatters}, that read it. */
    List<Callable<Void>> scans(EventFileReader.Reading reading, Predicate<LocalDate> dateMatters) throws IOException {
        List<Callable<Void>> tasks = new ArrayList<>();
        for (EventFile file : history.files(reading.source(), dateMatters)) {
            counts().schedule(file.store().describe(file.path()));
            tasks.add(() -> {
                read(reading, file);
                return null;
            });
        }
        return tasks;
    }

    private void read(EventFileReader.Reading reading, EventFile file) throws IOException {
        try {
            new EventFileReader(reading, file).read();
        } catch (FileNotFoundException e) {
            if (!file.archived()) {
                throw e;
            }
            // Compaction replaced the archived file after the listing: its events are in the file that
            // replaced it (an event read twice counts once).
            String dir = file.path().substring(0, file.path().lastIndexOf('/'));
            for (String replacement : DataFiles.unscheduled(file.store(), dir, counts())) {
                read(reading, new EventFile(file.store(), replacement, file.index(), true));
            }
        }
    }

    /** How long after its time an event can still change a row's requested values. */
    static long reach(ViewDefinition view, ViewRequest request) {
        long longest = 0;
        for (FeatureDefinition feature : view.features()) {
            if (!request.features().contains(feature.name())) {
                continue;
            }
            if (feature.window().isEmpty()) {
                return Long.MAX_VALUE;
            }
            longest = Math.max(longest, feature.window().get().toMillis());
        }
        return Math.max(TimeMath.plus(longest, view.granularity().toMillis()), request.ttlMillis());
    }
}
