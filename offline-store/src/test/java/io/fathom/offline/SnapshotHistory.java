package io.fathom.offline;

import io.fathom.core.EntityKey;
import io.fathom.core.InvalidEventException;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.internal.FeatureColumns;
import io.fathom.offline.internal.HadoopFileStore;
import io.fathom.offline.internal.Layout;
import io.fathom.offline.internal.SnapshotFile;
import io.fathom.offline.internal.SnapshotSchema;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.FeatureValues;
import io.fathom.schemas.SlicedSnapshot;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.BruteForce;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The snapshots ingest would emit for a sequence of events, made the way ingest makes them: per view and
 * entity, core's {@link TileAggregator} folds each event into the state (late events are dropped), and a
 * snapshot follows every accepted event, with {@code event_ts} the state's latest event time and {@code
 * created_ts} the arrival clock. Each snapshot remembers the events it contains, for the brute-force
 * reference. The events themselves (late ones too) are archived as they arrived, through source
 * partitions unrelated to their entity (an unkeyed producer), each event at the next offset of its
 * partition. {@link #writeTo} lays out both as the offline writer would.
 */
final class SnapshotHistory {
    static final int PARTITIONS = 2;

    /** An event: its time, when it arrived (the ingest wall clock), and its fields. */
    record Event(long ts, long arrival, Map<String, Object> fields) {}

    /** One snapshot, where it would sit in Kafka, and the events its state contains. */
    record Snapshot(
            String view,
            String key,
            long eventTs,
            long createdTs,
            int partition,
            long offset,
            EntityState state,
            Map<String, Object> values,
            List<BruteForce.Event> contained) {}

    private final FeatureDefinitions definitions;
    private final Map<String, List<Snapshot>> byView = new HashMap<>();
    private final List<EventArchive.Archived> archived = new ArrayList<>();

    SnapshotHistory(FeatureDefinitions definitions, List<Event> eventsInArrivalOrder) {
        this.definitions = definitions;
        long[] sourceOffsets = new long[PARTITIONS];
        for (int i = 0; i < eventsInArrivalOrder.size(); i++) {
            Event event = eventsInArrivalOrder.get(i);
            int partition = Math.floorMod(Long.hashCode(event.arrival() * 31 + i * 17L), PARTITIONS);
            archived.add(new EventArchive.Archived(partition, sourceOffsets[partition]++, event.ts(), event.fields()));
        }
        for (ViewDefinition view : definitions.views()) {
            TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
            Map<String, EntityState> states = new HashMap<>();
            Map<String, List<BruteForce.Event>> contained = new HashMap<>();
            long[] nextOffset = new long[PARTITIONS];
            List<Snapshot> snapshots = new ArrayList<>();
            long sequence = 0;
            for (Event event : eventsInArrivalOrder) {
                String key =
                        EntityKey.of(definitions.entityOf(view), event.fields()).encoded();
                EntityState state = states.computeIfAbsent(key, k -> aggregator.newState());
                try {
                    aggregator.add(state, event.ts(), event.fields());
                } catch (InvalidEventException e) {
                    continue; // late: ingest sends it to the DLQ
                }
                List<BruteForce.Event> events = contained.computeIfAbsent(key, k -> new ArrayList<>());
                events.add(new BruteForce.Event(event.ts(), sequence++, event.fields()));
                int partition = partitionOf(key);
                long latest = state.getLatestEventTs();
                snapshots.add(new Snapshot(
                        view.name(),
                        key,
                        latest,
                        event.arrival(),
                        partition,
                        nextOffset[partition]++,
                        aggregator.copy(state),
                        aggregator.evaluate(state, latest),
                        List.copyOf(events)));
            }
            byView.put(view.name(), snapshots);
        }
    }

    static int partitionOf(String key) {
        return Math.floorMod(key.hashCode(), PARTITIONS);
    }

    List<Snapshot> snapshots(String view) {
        return byView.get(view);
    }

    /** Every event as archived, late ones included, in arrival order. */
    List<EventArchive.Archived> archived() {
        return archived;
    }

    /**
     * The events of one entity of a view, late ones included, for the brute force: with equal event times
     * they count in archive order, (source partition, offset).
     */
    List<BruteForce.Event> events(ViewDefinition view, String key) {
        List<BruteForce.Event> events = new ArrayList<>();
        for (EventArchive.Archived event : archived) {
            if (EntityKey.of(definitions.entityOf(view), event.fields())
                    .encoded()
                    .equals(key)) {
                events.add(new BruteForce.Event(
                        event.eventTs(), ((long) event.partition() << 32) + event.offset(), event.fields()));
            }
        }
        return events;
    }

    /**
     * Writes every view's snapshots as the offline writer would: per partition in offset order, a new
     * file at each date change and, at random, at other points (files of 1 to {@code maxRows} rows); and
     * the events in the archive of each views' source ({@link EventArchive}), cut the same way.
     */
    void writeTo(Path root, Random random, int maxRows) {
        writeSnapshots(root, random, maxRows);
        writeEvents(root, random, maxRows);
    }

    /** The events in the archive of each views' source, the timestamp field filled in where it is missing. */
    void writeEvents(Path root, Random random, int maxRows) {
        writeEvents(OfflineStoreConfig.builder(root).build(), random, maxRows);
    }

    void writeEvents(OfflineStoreConfig root, Random random, int maxRows) {
        definitions.views().stream().map(definitions::sourceOf).distinct().forEach(source -> {
            List<EventArchive.Archived> events = new ArrayList<>();
            for (EventArchive.Archived event : archived) {
                Map<String, Object> fields = new HashMap<>(event.fields());
                fields.putIfAbsent(source.timestampField(), event.eventTs());
                events.add(new EventArchive.Archived(event.partition(), event.offset(), event.eventTs(), fields));
            }
            EventArchive.write(root, source, events, random, maxRows);
        });
    }

    /** The snapshots alone, for the as-known-at join. */
    void writeSnapshots(Path root, Random random, int maxRows) {
        AvroCodec<EntityState> stateCodec = AvroCodec.of(EntityState.getClassSchema());
        try (HadoopFileStore store =
                HadoopFileStore.open(OfflineStoreConfig.builder(root).build())) {
            for (ViewDefinition view : definitions.views()) {
                SnapshotSchema schema = SnapshotSchema.of(view.name(), FeatureColumns.of(definitions, view));
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    SnapshotFile open = null;
                    for (Snapshot s : byView.get(view.name())) {
                        if (s.partition() != partition) {
                            continue;
                        }
                        LocalDate date = Layout.date(s.eventTs());
                        if (open != null && (!open.date().equals(date) || open.rows() >= 1 + random.nextInt(maxRows))) {
                            open.commit();
                            open = null;
                        }
                        if (open == null) {
                            open = SnapshotFile.open(
                                    store,
                                    OfflineStoreConfig.FileCommit.RENAME,
                                    root,
                                    schema.schema(),
                                    4096,
                                    view.name(),
                                    "",
                                    view.snapshotTopic(),
                                    partition,
                                    s.offset(),
                                    date,
                                    0);
                        }
                        SlicedSnapshot decoded = new SlicedSnapshot(
                                view.name(),
                                s.key(),
                                s.eventTs(),
                                s.createdTs(),
                                ByteBuffer.wrap(stateCodec.encode(s.state())),
                                FeatureValues.of(s.values()));
                        open.write(schema.row(decoded, partition, s.offset()), s.offset());
                    }
                    if (open != null) {
                        open.commit();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
