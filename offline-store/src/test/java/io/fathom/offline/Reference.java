package io.fathom.offline;

import io.fathom.core.EntityKey;
import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.offline.internal.ColumnType;
import io.fathom.offline.internal.FeatureColumns;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * docs/semantics.md's point-in-time rules. As known at t, by brute force over every snapshot: the snapshot of
 * the row's entity with the greatest event_ts <= t (ties: greatest created_ts, then offset), created_ts <= t,
 * and event_ts >= t - ttl; its windows evaluated at t. In event time, testkit's {@link BruteForce} over every
 * event of the entity with event time <= t, nulls when the latest of them is before t - ttl.
 */
final class Reference {
    private static final Comparator<SnapshotHistory.Snapshot> NEWEST = Comparator.comparingLong(
                    SnapshotHistory.Snapshot::eventTs)
            .thenComparingLong(SnapshotHistory.Snapshot::createdTs)
            .thenComparingLong(SnapshotHistory.Snapshot::offset);

    /** The expected values of one view for one row: from core on the picked snapshot, and from raw events. */
    record Expected(
            Optional<SnapshotHistory.Snapshot> picked, Map<String, Object> fromCore, Map<String, Object> fromEvents) {}

    /** The expected values of one view for one row in event time, and the latest event time used. */
    record EventTime(Optional<Long> latest, Map<String, Object> values) {}

    private Reference() {}

    static String key(FeatureDefinitions definitions, ViewDefinition view, EntityRow row) {
        List<String> keyColumns = definitions.entityOf(view).keys();
        List<Object> values = new ArrayList<>();
        keyColumns.forEach(column -> values.add(row.keys().get(column)));
        return new EntityKey(keyColumns, values).encoded();
    }

    /**
     * Asserts that a joined row's values equal the brute force over the events of its entity (of all {@code
     * events}) at the row's time, naming {@code where} on a difference; returns what the brute force gave.
     */
    static EventTime assertEventTime(
            FeatureDefinitions definitions,
            ViewDefinition view,
            List<BruteForce.Event> events,
            TrainingRow joined,
            String where) {
        EntityRow row = joined.entityRow();
        String key = key(definitions, view, row);
        List<String> keyColumns = definitions.entityOf(view).keys();
        List<BruteForce.Event> own = events.stream()
                .filter(e -> {
                    Map<String, Object> keys = new HashMap<>();
                    keyColumns.forEach(c -> keys.put(c, e.fields().get(c)));
                    return keys.values().stream().allMatch(v -> v != null)
                            && key(definitions, view, new EntityRow(keys, 0)).equals(key);
                })
                .toList();
        EventTime expected = eventTime(definitions, view, own, row);
        Map<String, Object> actual = joined.features();
        expected.values().forEach((column, value) -> org.assertj.core.api.Assertions.assertThat(
                        BruteForce.matchesExactly(value, actual.get(column)))
                .as("%s %s: %s by brute force, %s joined", where, column, value, actual.get(column))
                .isTrue());
        return expected;
    }

    static EventTime eventTime(
            FeatureDefinitions definitions, ViewDefinition view, List<BruteForce.Event> all, EntityRow row) {
        long t = row.timestampMillis();
        List<BruteForce.Event> events = all.stream().filter(e -> e.ts() <= t).toList();
        Optional<Long> latest = events.stream()
                .map(BruteForce.Event::ts)
                .max(Long::compare)
                .filter(ts -> ts >= t - view.ttl().toMillis());
        Map<String, Object> brute = latest.isPresent() ? BruteForce.evaluate(view, events, t) : Map.of();
        Map<String, Object> values = new LinkedHashMap<>();
        for (FeatureDefinition feature : view.features()) {
            values.put(view.name() + "__" + feature.name(), brute.get(feature.name()));
        }
        return new EventTime(latest, values);
    }

    static Optional<SnapshotHistory.Snapshot> pick(
            List<SnapshotHistory.Snapshot> snapshots, String key, long t, long ttl, boolean asKnownAt) {
        return snapshots.stream()
                .filter(s -> s.key().equals(key))
                .filter(s -> s.eventTs() <= t)
                .filter(s -> !asKnownAt || s.createdTs() <= t)
                .max(NEWEST)
                .filter(s -> s.eventTs() >= t - ttl);
    }

    static Expected expected(
            FeatureDefinitions definitions,
            SnapshotHistory history,
            ViewDefinition view,
            EntityRow row,
            boolean asKnownAt) {
        String key = key(definitions, view, row);
        long t = row.timestampMillis();
        Optional<SnapshotHistory.Snapshot> picked =
                pick(history.snapshots(view.name()), key, t, view.ttl().toMillis(), asKnownAt);
        Map<String, ColumnType> types = new HashMap<>();
        FeatureColumns.of(definitions, view).forEach(c -> types.put(c.feature(), c.type()));
        Map<String, Object> fromCore = new LinkedHashMap<>();
        Map<String, Object> fromEvents = new LinkedHashMap<>();
        Map<String, Object> core = picked.map(s -> new TileAggregator(ViewPlan.of(view)).evaluate(s.state(), t))
                .orElse(Map.of());
        Map<String, Object> brute =
                picked.map(s -> BruteForce.evaluate(view, s.contained(), t)).orElse(Map.of());
        for (FeatureDefinition feature : view.features()) {
            String column = view.name() + "__" + feature.name();
            fromCore.put(column, types.get(feature.name()).convert(core.get(feature.name())));
            fromEvents.put(column, brute.get(feature.name()));
        }
        return new Expected(picked, fromCore, fromEvents);
    }

    static FeatureDefinition feature(ViewDefinition view, String column) {
        String name = column.substring(column.indexOf("__") + 2);
        return view.features().stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
