package io.fathom.core;

import static io.fathom.core.Fixtures.assertMatches;
import static io.fathom.core.Fixtures.assertRejected;
import static io.fathom.core.Fixtures.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinition;
import io.fathom.schemas.ViewDefinition;
import io.fathom.schemas.avro.EntityState;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.BruteForce.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The aggregator against the testkit's brute-force reference ({@link BruteForce}), for random views
 * (feature sets, windows that are multiples of the granularity, lateness), random events (times, null
 * and missing values, ties) and random evaluation times.
 */
class TileAggregatorPropertiesTest {

    /** A random view with its events in arrival order and how far after the latest event to evaluate. */
    record Scenario(ViewDefinition view, List<Event> events, long evaluateAfterLatest) {}

    private record FeatureShape(Aggregation aggregation, Optional<String> field, Optional<Duration> window) {}

    @Property(tries = 400)
    void valuesEqualTheReferenceAfterEveryEventAndAtAnyLaterTime(@ForAll("scenarios") Scenario scenario) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        EntityState state = aggregator.newState();
        List<Event> accepted = new ArrayList<>();
        long latest = Long.MIN_VALUE;
        for (Event event : scenario.events()) {
            if (BruteForce.isLate(scenario.view(), latest, event.ts())) {
                EntityState before = aggregator.copy(state);
                assertRejected(() -> aggregator.add(state, event.ts(), event.fields()), Reason.LATE);
                assertThat(state).isEqualTo(before);
                continue;
            }
            aggregator.add(state, event.ts(), event.fields());
            accepted.add(event);
            latest = Math.max(latest, event.ts());
            assertThat(state.getLatestEventTs()).isEqualTo(latest);
            assertMatches(
                    aggregator.evaluate(state, latest),
                    BruteForce.evaluate(scenario.view(), accepted, latest),
                    "after " + accepted.size() + " events, at " + latest);
        }
        long t = (accepted.isEmpty() ? 0 : latest) + scenario.evaluateAfterLatest();
        assertMatches(aggregator.evaluate(state, t), BruteForce.evaluate(scenario.view(), accepted, t), "at " + t);
    }

    /**
     * Against a watermark that other partitions' events move (here: anywhere from far behind to a little ahead of
     * each event, never back): an event counts when at most the allowed lateness behind it, however far behind
     * the entity's latest event, and the values after every event and at any later time equal the reference over
     * the events that counted. Tiles dropped behind the watermark are never missed.
     */
    @Property(tries = 400)
    void againstAWatermarkValuesEqualTheReferenceOverTheAcceptedEvents(
            @ForAll("scenarios") Scenario scenario, @ForAll long seed) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        long lateness = scenario.view().allowedLateness().toMillis();
        long g = scenario.view().granularity().toMillis();
        Random random = new Random(seed);
        EntityState state = aggregator.newState();
        List<Event> accepted = new ArrayList<>();
        long watermark = Long.MIN_VALUE;
        for (Event event : scenario.events()) {
            if (random.nextInt(3) > 0) {
                watermark = Math.max(watermark, event.ts() + random.nextLong(-3 * lateness - 20 * g, lateness + g + 1));
            }
            long judgedBy = watermark;
            if (BruteForce.isLate(scenario.view(), judgedBy, event.ts())) {
                EntityState before = aggregator.copy(state);
                assertRejected(() -> aggregator.add(state, event.ts(), event.fields(), judgedBy), Reason.LATE);
                assertThat(state).isEqualTo(before);
                continue;
            }
            aggregator.add(state, event.ts(), event.fields(), judgedBy);
            accepted.add(event);
            long latest = state.getLatestEventTs();
            assertMatches(
                    aggregator.evaluate(state, latest),
                    BruteForce.evaluate(scenario.view(), accepted, latest),
                    "after " + accepted.size() + " events, at " + latest);
        }
        long t = (accepted.isEmpty() ? 0 : state.getLatestEventTs()) + scenario.evaluateAfterLatest();
        assertMatches(aggregator.evaluate(state, t), BruteForce.evaluate(scenario.view(), accepted, t), "at " + t);
    }

    /**
     * A selection of features reads the same values as the whole view at their positions, and nothing at the
     * others, whichever features it holds: the walk back to the longest selected window and the fields left out
     * change nothing for the selected ones.
     */
    @Property(tries = 300)
    void aSelectionReadsTheSameValuesAsTheWholeView(@ForAll("scenarios") Scenario scenario, @ForAll long seed) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        EntityState state = aggregator.newState();
        for (Event event : scenario.events()) {
            if (!BruteForce.isLate(scenario.view(), state.getLatestEventTs(), event.ts())) {
                aggregator.add(state, event.ts(), event.fields());
            }
        }
        long t = Math.max(0, state.getLatestEventTs()) + scenario.evaluateAfterLatest();
        Object[] all = aggregator.evaluateValues(state, t);
        Random random = new Random(seed);
        int size = all.length;
        for (int round = 0; round < 5; round++) {
            int[] picked =
                    IntStream.range(0, size).filter(i -> random.nextInt(3) == 0).toArray();
            Object[] some = aggregator.evaluateValues(state, t, aggregator.select(picked));
            assertThat(some).hasSize(size);
            boolean[] wanted = new boolean[size];
            for (int i : picked) {
                wanted[i] = true;
            }
            for (int i = 0; i < size; i++) {
                assertThat(some[i])
                        .as("feature %s of %s at %d", i, aggregator.plan().featureNames(), t)
                        .isEqualTo(wanted[i] ? all[i] : null);
            }
        }
    }

    @Property(tries = 200)
    void anyArrivalOrderGivesTheSameValues(@ForAll("onTimeScenarios") Scenario scenario, @ForAll long seed) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        List<Event> shuffled = new ArrayList<>(scenario.events());
        Collections.shuffle(shuffled, new Random(seed));

        EntityState inOrder = stateOf(aggregator, scenario.events());
        EntityState reordered = stateOf(aggregator, shuffled);

        long t = inOrder.getLatestEventTs() + scenario.evaluateAfterLatest();
        assertMatches(aggregator.evaluate(reordered, t), aggregator.evaluate(inOrder, t), "at " + t);
        assertMatches(
                aggregator.evaluate(reordered, t), BruteForce.evaluate(scenario.view(), scenario.events(), t), "ref");
    }

    @Property(tries = 200)
    void tilingDoesNotChangeAWindowThatCoversEverything(@ForAll("onTimeScenarios") Scenario scenario) {
        // The same features over a window longer than all the events, once with the scenario's tiles and once
        // with tiles so large that every event lands in one: merging tiles equals one pass.
        long span = 100L * scenario.view().granularity().toMillis();
        List<FeatureDefinition> wide = scenario.view().features().stream()
                .map(f -> new FeatureDefinition(
                        f.name(), f.aggregation(), f.field(), f.window().map(w -> Duration.ofMillis(span))))
                .toList();
        ViewDefinition fine = view(scenario.view().granularity(), Duration.ofMillis(span), wide);
        ViewDefinition coarse = view(Duration.ofMillis(span), Duration.ofMillis(span), wide);
        TileAggregator fineAggregator = new TileAggregator(ViewPlan.of(fine));
        TileAggregator coarseAggregator = new TileAggregator(ViewPlan.of(coarse));
        EntityState fineState = stateOf(fineAggregator, scenario.events());
        EntityState coarseState = stateOf(coarseAggregator, scenario.events());

        long t = fineState.getLatestEventTs();
        assertThat(coarseState.getTiles()).hasSizeLessThanOrEqualTo(2);
        assertMatches(fineAggregator.evaluate(fineState, t), coarseAggregator.evaluate(coarseState, t), "at " + t);
    }

    @Property(tries = 200)
    void noEventAfterTIsEverCounted(@ForAll("onTimeScenarios") Scenario scenario, @ForAll long pick) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        List<Event> events = scenario.events();
        long t = events.get((int) Math.floorMod(pick, (long) events.size())).ts();
        List<Event> upToT = events.stream().filter(e -> e.ts() <= t).toList();

        EntityState known = stateOf(aggregator, upToT);
        assertMatches(aggregator.evaluate(known, t), BruteForce.evaluate(scenario.view(), upToT, t), t);

        EntityState all = stateOf(aggregator, events);
        if (events.stream().anyMatch(e -> e.ts() > t)) {
            assertThatThrownBy(() -> aggregator.evaluate(all, t)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(aggregator.evaluate(all, t)).isEqualTo(aggregator.evaluate(known, t));
        }
    }

    @Property(tries = 200)
    void evaluationDoesNotChangeTheState(@ForAll("scenarios") Scenario scenario) {
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(scenario.view()));
        EntityState state = aggregator.newState();
        for (Event event : scenario.events()) {
            try {
                aggregator.add(state, event.ts(), event.fields());
            } catch (InvalidEventException e) {
                assertThat(e.reason()).isEqualTo(Reason.LATE);
            }
        }
        EntityState before = aggregator.copy(state);
        long t = Math.max(state.getLatestEventTs(), 0) + scenario.evaluateAfterLatest();
        Map<String, Object> first = aggregator.evaluate(state, t);

        assertThat(state).isEqualTo(before);
        assertThat(aggregator.evaluate(state, t)).isEqualTo(first);
        assertThat(state.getTiles())
                .extracting(tile -> tile.getIndex())
                .isSorted()
                .doesNotHaveDuplicates();
    }

    private static EntityState stateOf(TileAggregator aggregator, List<Event> events) {
        EntityState state = aggregator.newState();
        events.forEach(e -> aggregator.add(state, e.ts(), e.fields()));
        return state;
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return granularities().flatMap(g -> Combinators.combine(
                        features(g),
                        Arbitraries.longs().between(0, 20).map(k -> k * g / 2),
                        events(g, false),
                        evaluationOffsets(g))
                .as((features, lateness, events, offset) -> new Scenario(
                        view(Duration.ofMillis(g), Duration.ofMillis(lateness), features), events, offset)));
    }

    /** Scenarios whose events all arrive within the allowed lateness and have distinct times. */
    @Provide
    Arbitrary<Scenario> onTimeScenarios() {
        return granularities().flatMap(g -> Combinators.combine(features(g), events(g, true), evaluationOffsets(g))
                .as((features, events, offset) ->
                        new Scenario(view(Duration.ofMillis(g), Duration.ofMillis(50 * g), features), events, offset)));
    }

    private static Arbitrary<Long> granularities() {
        return Arbitraries.of(1L, 7L, 1_000L, 60_000L);
    }

    private static Arbitrary<Long> evaluationOffsets(long g) {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(3, Arbitraries.longs().between(0, 35 * g)));
    }

    private static Arbitrary<List<FeatureDefinition>> features(long g) {
        return featureShape(g).list().ofMinSize(1).ofMaxSize(8).map(shapes -> IntStream.range(0, shapes.size())
                .mapToObj(i -> new FeatureDefinition(
                        "f" + i,
                        shapes.get(i).aggregation(),
                        shapes.get(i).field(),
                        shapes.get(i).window()))
                .toList());
    }

    private static Arbitrary<FeatureShape> featureShape(long g) {
        Arbitrary<Duration> windows = Arbitraries.longs().between(1, 30).map(k -> Duration.ofMillis(k * g));
        return Arbitraries.of(Aggregation.values()).flatMap(aggregation -> {
            Arbitrary<String> field;
            if (!aggregation.needsField()) {
                field = Arbitraries.just(null);
            } else if (aggregation.numeric()) {
                field = Arbitraries.of("x", "y");
            } else {
                field = Arbitraries.of("x", "y", "s", "b");
            }
            Arbitrary<Duration> window = aggregation.needsWindow() ? windows : windows.injectNull(0.4);
            return Combinators.combine(field, window)
                    .as((f, w) -> new FeatureShape(aggregation, Optional.ofNullable(f), Optional.ofNullable(w)));
        });
    }

    private static Arbitrary<List<Event>> events(long g, boolean distinctTimes) {
        Arbitrary<Long> base = Arbitraries.of(0L, -1_000L * g + 3, 1_767_225_600_000L);
        Arbitrary<Object> number = Arbitraries.oneOf(
                Arbitraries.longs().between(-50, 50).map(Object.class::cast),
                Arbitraries.integers().between(-400, 400).map(k -> (Object) (k / 8.0)));
        Arbitrary<Object> text = Arbitraries.oneOf(
                Arbitraries.of("", "a|b", "é").map(Object.class::cast),
                Arbitraries.integers().between(0, 20).map(i -> (Object) ("s" + i)));
        Arbitrary<Map<String, Object>> fields = Combinators.combine(
                        number.injectNull(0.2),
                        number.injectNull(0.5),
                        text.injectNull(0.2),
                        Arbitraries.of(true, false).map(Object.class::cast).injectNull(0.3))
                .as((x, y, s, b) -> {
                    Map<String, Object> map = new HashMap<>();
                    map.put("x", x);
                    if (y != null) {
                        map.put("y", y);
                    }
                    map.put("s", s);
                    map.put("b", b);
                    return map;
                });
        Arbitrary<Long> offsets = Arbitraries.longs().between(0, 40 * g);
        if (distinctTimes) {
            return base.flatMap(b -> Combinators.combine(offsets, fields)
                    .as((offset, f) -> new Event(b + offset, 0, f))
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(50)
                    .uniqueElements(Event::ts)
                    .map(TileAggregatorPropertiesTest::inArrivalOrder));
        }
        return base.flatMap(b -> Combinators.combine(offsets, fields)
                .as((offset, f) -> new Event(b + offset, 0, f))
                .list()
                .ofMaxSize(50)
                .map(TileAggregatorPropertiesTest::inArrivalOrder));
    }

    /** The events numbered in list order, the order they arrive in: first and last break ties of time by it. */
    private static List<Event> inArrivalOrder(List<Event> events) {
        return IntStream.range(0, events.size())
                .mapToObj(i -> new Event(events.get(i).ts(), i, events.get(i).fields()))
                .toList();
    }
}
