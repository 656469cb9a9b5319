package io.fathom.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import org.apache.commons.io.FileUtils;

/**
 * The point-in-time join against brute-force references, over random histories: events (late ones, exact
 * ties of event time and of ingest time, dates crossing midnight), in a random arrival order, become
 * snapshots the way ingest makes them and are archived as they arrived through source partitions unrelated
 * to their entity; snapshots and archive are written in the offline layout in files of random sizes, and
 * random entity rows (duplicates, unknown entities, times exactly at event times, created_ts and the ttl
 * bounds) are joined, in event time or as known at t, with memory budgets small enough to spill.
 *
 * <p>Each row must come back once and in order. In event time, each value must equal testkit's {@link
 * BruteForce} over every event of the entity at or before t, late ones included (exactly: doubles to 1e-9
 * relative), nulls exactly when the entity has no event within ttl before t. As known at t, each value must
 * equal core's evaluation at t of the snapshot the rule picks (exactly) — a snapshot created at or before
 * t — and the value computed from the raw events that snapshot holds, all at or before t (to floating-point
 * and sketch tolerance); nulls exactly when no snapshot qualifies.
 */
class PointInTimeJoinPropertiesTest {
    private static final long T0 = Instant.parse("2026-10-01T23:40:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final FeatureDefinitions DEFINITIONS = TestViews.definitions();
    private static final List<String> FEATURES = List.of("user_pay:*", "pair_pay:*");
    private static final String[] MERCHANTS = {"m1", "a|b", "x\\y"};
    private static final String[] COUNTRIES = {"FR", "DE", "US"};

    record EventSpec(long user, int merchant, Double amount, int country, long step, long delay, int tick) {}

    /** An event's time and spec, before its arrival is known. */
    record Timed(long ts, EventSpec spec) {}

    record RowSpec(long user, String merchant, long t) {}

    record Scenario(
            List<SnapshotHistory.Event> events,
            List<EntityRow> rows,
            boolean asKnownAt,
            int maxRowsPerFile,
            long memoryBudget,
            int buckets,
            long seed) {}

    @Property(tries = 100)
    @StatisticsReport(format = net.jqwik.api.statistics.Histogram.class)
    void joinEqualsTheBruteForceRule(@ForAll("scenarios") Scenario scenario) throws IOException {
        Path root = Files.createTempDirectory("fathom-pit-");
        try {
            SnapshotHistory history = new SnapshotHistory(DEFINITIONS, scenario.events());
            history.writeTo(root.resolve("store"), new Random(scenario.seed()), scenario.maxRowsPerFile());
            JoinOptions options =
                    new JoinOptions(2, scenario.buckets(), scenario.memoryBudget(), root.resolve("spill"));
            List<TrainingRow> joined;
            try (PointInTimeJoin join = new PointInTimeJoin(
                    DEFINITIONS,
                    OfflineStoreConfig.builder(root.resolve("store")).build(),
                    options)) {
                joined = join.join(scenario.rows(), FEATURES, scenario.asKnownAt());
            }

            assertThat(joined).extracting(TrainingRow::entityRow).containsExactlyElementsOf(scenario.rows());
            for (int i = 0; i < joined.size(); i++) {
                EntityRow row = scenario.rows().get(i);
                for (ViewDefinition view : DEFINITIONS.views()) {
                    Map<String, Object> actual = new HashMap<>(joined.get(i).features());
                    actual.keySet().removeIf(column -> !column.startsWith(view.name() + "__"));
                    Long used = joined.get(i).snapshotEventTs().get(view.name());
                    if (scenario.asKnownAt()) {
                        checkAsKnownAt(history, view, row, i, actual, used);
                    } else {
                        checkEventTime(history, view, row, i, actual, used);
                    }
                }
            }
            assertThat(root.resolve("spill")).isEmptyDirectory();
        } finally {
            FileUtils.deleteDirectory(root.toFile());
        }
    }

    private static void checkEventTime(
            SnapshotHistory history, ViewDefinition view, EntityRow row, int i, Map<String, Object> actual, Long used) {
        Reference.EventTime expected = Reference.eventTime(
                DEFINITIONS, view, history.events(view, Reference.key(DEFINITIONS, view, row)), row);
        String where = "row " + i + " " + row + ", view " + view.name() + ", latest event " + expected.latest();
        assertThat(used).as(where).isEqualTo(expected.latest().orElse(null));
        assertThat(actual.keySet()).as(where).isEqualTo(expected.values().keySet());
        expected.values().forEach((column, value) -> assertThat(BruteForce.matchesExactly(value, actual.get(column)))
                .as("%s %s: %s by brute force, %s joined", where, column, value, actual.get(column))
                .isTrue());
        Statistics.label("event time").collect(expected.latest().isPresent() ? "values" : "nulls");
        Statistics.label("late events in history")
                .collect(
                        history.archived().size()
                                        > history.snapshots(view.name()).size()
                                ? "some"
                                : "none");
    }

    private static void checkAsKnownAt(
            SnapshotHistory history, ViewDefinition view, EntityRow row, int i, Map<String, Object> actual, Long used) {
        Reference.Expected expected = Reference.expected(DEFINITIONS, history, view, row, true);
        String where = "row " + i + " " + row + ", view " + view.name() + ", picked "
                + expected.picked()
                        .map(s -> "event_ts=" + s.eventTs() + " created_ts=" + s.createdTs())
                        .orElse("none");
        assertThat(actual).as(where).isEqualTo(expected.fromCore());
        assertThat(used)
                .as(where)
                .isEqualTo(
                        expected.picked().map(SnapshotHistory.Snapshot::eventTs).orElse(null));
        Statistics.label("rows").collect(expected.picked().isPresent() ? "snapshot" : "nulls");
        expected.picked().ifPresent(s -> Statistics.label("picked")
                .collect(tie(history, view, s) ? "tied on event_ts" : "unique event_ts"));
        if (expected.picked().isPresent()) {
            assertThat(expected.picked().get().createdTs())
                    .as("as known at t: nothing created after t")
                    .isLessThanOrEqualTo(row.timestampMillis());
            assertThat(expected.picked().get().contained())
                    .as("no event after t")
                    .allMatch(e -> e.ts() <= row.timestampMillis());
            expected.fromEvents().forEach((column, value) -> assertThat(
                            BruteForce.matches(Reference.feature(view, column), value, actual.get(column)))
                    .as("%s: %s from events, %s joined", where + " " + column, value, actual.get(column))
                    .isTrue());
        } else {
            assertThat(actual.values()).as(where).containsOnlyNulls();
        }
    }

    /** Whether another snapshot of the same entity has the same event_ts (a late event updated it). */
    private static boolean tie(SnapshotHistory history, ViewDefinition view, SnapshotHistory.Snapshot picked) {
        return history.snapshots(view.name()).stream()
                .anyMatch(s -> s != picked && s.key().equals(picked.key()) && s.eventTs() == picked.eventTs());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<EventSpec> event = Combinators.combine(
                        Arbitraries.longs().between(1, 3),
                        Arbitraries.integers().between(0, MERCHANTS.length - 1),
                        Arbitraries.integers()
                                .between(-10_000, 10_000)
                                .map(cents -> cents / 100.0)
                                .injectNull(0.15),
                        Arbitraries.integers().between(0, COUNTRIES.length - 1),
                        Arbitraries.oneOf(
                                Arbitraries.longs().between(-4, 6).map(m -> m * MINUTE),
                                Arbitraries.longs().between(-4 * MINUTE, 6 * MINUTE)),
                        Arbitraries.longs().between(0, 5 * MINUTE),
                        Arbitraries.integers().between(0, 2))
                .as(EventSpec::new);
        return event.list().ofMinSize(1).ofMaxSize(50).flatMap(specs -> Arbitraries.oneOf(
                        Arbitraries.just(timed(specs)), Arbitraries.shuffle(timed(specs)))
                .flatMap(this::scenarios));
    }

    /** Rows and join options for events that arrive in the given order. */
    private Arbitrary<Scenario> scenarios(List<Timed> arrivalOrder) {
        {
            List<SnapshotHistory.Event> events = events(arrivalOrder);
            long userTtl = 20 * MINUTE;
            long pairTtl = 10 * MINUTE;
            Arbitrary<RowSpec> randomRow = Combinators.combine(
                            Arbitraries.longs().between(1, 4),
                            Arbitraries.of("m1", "a|b", "x\\y", "zz"),
                            Arbitraries.longs().between(T0 - 30 * MINUTE, T0 + 150 * MINUTE))
                    .as(RowSpec::new);
            // Rows near an event of their own entity: at its event time or ingest time, a millisecond
            // either side, or at the ttl bounds.
            Arbitrary<RowSpec> anchoredRow = Combinators.combine(
                            Arbitraries.of(events),
                            Arbitraries.of(false, true),
                            Arbitraries.of(0L, -1L, 1L, userTtl, userTtl + 1, pairTtl, pairTtl + 1, MINUTE))
                    .as((anchor, atArrival, delta) -> new RowSpec(
                            (Long) anchor.fields().get("user_id"),
                            (String) anchor.fields().get("merchant"),
                            (atArrival ? anchor.arrival() : anchor.ts()) + delta));
            Arbitrary<RowSpec> row = Arbitraries.frequencyOf(Tuple.of(1, randomRow), Tuple.of(4, anchoredRow));
            Arbitrary<List<EntityRow>> rows = row.list()
                    .ofMaxSize(40)
                    .flatMap(list -> duplicated(list.stream()
                            .map(r -> new EntityRow(Map.of("user_id", r.user(), "merchant", r.merchant()), r.t()))
                            .toList()));
            return Combinators.combine(
                            rows,
                            Arbitraries.of(false, true),
                            Arbitraries.integers().between(1, 25),
                            Arbitraries.of(1L, 1L << 30),
                            Arbitraries.integers().between(1, 5),
                            Arbitraries.longs())
                    .as((entityRows, asKnownAt, maxRows, memory, buckets, seed) ->
                            new Scenario(events, entityRows, asKnownAt, maxRows, memory, buckets, seed));
        }
    }

    /** Some rows again, at random places: the join must return every copy. */
    private static Arbitrary<List<EntityRow>> duplicated(List<EntityRow> rows) {
        if (rows.isEmpty()) {
            return Arbitraries.just(rows);
        }
        return Arbitraries.integers()
                .between(0, rows.size() - 1)
                .list()
                .ofMaxSize(5)
                .map(picks -> {
                    List<EntityRow> result = new ArrayList<>(rows);
                    for (int pick : picks) {
                        result.add(pick, rows.get(pick));
                    }
                    return result;
                });
    }

    /**
     * Event times walk from T0 - 10 minutes by steps of -4 to +6 minutes (so some are late, some beyond the
     * allowed lateness, some tie exactly).
     */
    private static List<Timed> timed(List<EventSpec> specs) {
        List<Timed> timed = new ArrayList<>();
        long ts = T0 - 10 * MINUTE;
        for (EventSpec spec : specs) {
            ts += spec.step();
            timed.add(new Timed(ts, spec));
        }
        return timed;
    }

    /**
     * Events in arrival order: ingest's clock (created_ts) is the running maximum of the previous arrival
     * plus a tick of 0 to 2 ms (0 makes ties) and event time plus a delay.
     */
    private static List<SnapshotHistory.Event> events(List<Timed> arrivalOrder) {
        List<SnapshotHistory.Event> events = new ArrayList<>();
        long clock = Long.MIN_VALUE;
        for (Timed timed : arrivalOrder) {
            EventSpec spec = timed.spec();
            long ts = timed.ts();
            clock = Math.max(clock == Long.MIN_VALUE ? Long.MIN_VALUE : clock + spec.tick(), ts + spec.delay());
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", spec.user());
            fields.put("merchant", MERCHANTS[spec.merchant()]);
            fields.put("amount", spec.amount());
            fields.put("country", COUNTRIES[spec.country()]);
            fields.put("event_time", ts);
            events.add(new SnapshotHistory.Event(ts, clock, fields));
        }
        return events;
    }
}
