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
 * reference. {@link #writeTo} lays them out as the offline writer would.
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

    SnapshotHistory(FeatureDefinitions definitions, List<Event> eventsInArrivalOrder) {
        this.definitions = definitions;
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

    /**
     * Writes every view's snapshots as the offline writer would: per partition in offset order, a new
     * file at each date change and, at random, at other points (files of 1 to {@code maxRows} rows).
     */
    void writeTo(Path root, Random random, int maxRows) {
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
