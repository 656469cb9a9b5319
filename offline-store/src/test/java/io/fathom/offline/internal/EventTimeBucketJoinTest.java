package io.fathom.offline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.offline.internal.JoinRecords.EventRef;
import io.fathom.offline.internal.JoinRecords.Result;
import io.fathom.offline.internal.JoinRecords.RowRef;
import io.fathom.schemas.Aggregation;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import io.fathom.testkit.Definitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event-time join of one bucket on its own, as a pure function of sorted rows and events (no files,
 * no sorter): an event read twice counts once, an event of the wrong type is skipped and counted, ties in
 * event time go by (origin, position), and a row past the ttl gets nothing.
 */
class EventTimeBucketJoinTest {
    private static final long MINUTE = 60_000;
    private static final FeatureDefinitions DEFINITIONS = Definitions.builder()
            .entity("user", "user_id")
            .jsonSource("s", "s", "ts")
            .view(Definitions.view("v")
                    .last("last_x", "x")
                    .feature("x_sum_10m", Aggregation.SUM, "x", Duration.ofMinutes(10))
                    .source("s")
                    .ttl(Duration.ofMinutes(30)))
            .build();
    private static final ViewDefinition VIEW = DEFINITIONS.views().get(0);
    private static final JoinEngine.ViewRequest REQUEST = JoinEngine.ViewRequest.of(
            VIEW, List.of("user_id"), List.of("x_sum_10m", "last_x"), List.of(ColumnType.DOUBLE, ColumnType.DOUBLE));

    @Test
    void aBucketIsJoinedFromItsSortedRowsAndEventsAlone() {
        // Sorted by (key, ts, origin, position): user a has a duplicate (same partition and offset), a tie at
        // 2 minutes decided by partition, and a text where a number is summed; user b has one old event.
        List<EventRef> events = List.of(
                event("a", 1, 0, 10, 1.0),
                event("a", 1, 0, 10, 1.0),
                event("a", 2, 0, 11, 2.0),
                event("a", 2, 1, 3, 5.0),
                new EventRef("a", 3 * MINUTE, 0, 12, new Object[] {"text"}),
                event("a", 4, 1, 4, 7.0),
                event("b", 0, 0, 1, 9.0));
        List<RowRef> rows = List.of(
                new RowRef("a", 0, 0), // before any event: nothing
                new RowRef("a", 3 * MINUTE, 1),
                new RowRef("a", 3 * MINUTE, 2), // the same time again
                new RowRef("a", 20 * MINUTE, 3), // windows empty, still within ttl
                new RowRef("b", 31 * MINUTE, 4), // past b's ttl: nothing
                new RowRef("c", 5 * MINUTE, 5)); // no events at all
        List<Result> results = new ArrayList<>();

        long skipped = new EventTimeBucketJoin(0, REQUEST).join(rows.iterator(), events.iterator(), results::add);

        assertThat(skipped).isEqualTo(1);
        assertThat(results).extracting(Result::rowIndex).containsExactly(1L, 2L, 3L);
        List<BruteForce.Event> aggregated =
                List.of(bruteForce(1, 0, 1.0), bruteForce(2, 1, 2.0), bruteForce(2, 2, 5.0), bruteForce(4, 3, 7.0));
        for (Result result : results) {
            long t = rows.get((int) result.rowIndex()).t();
            List<BruteForce.Event> upToT =
                    aggregated.stream().filter(e -> e.ts() <= t).toList();
            Map<String, Object> expected = BruteForce.evaluate(VIEW, upToT, t);
            assertThat(result.values())
                    .as("row %d", result.rowIndex())
                    .containsExactly(expected.get("x_sum_10m"), expected.get("last_x"));
            assertThat(result.snapshotEventTs())
                    .isEqualTo(upToT.get(upToT.size() - 1).ts());
        }
        assertThat(results.get(0).values()).containsExactly(8.0, 5.0); // 1 + 2 + 5, the duplicate once
    }

    private static EventRef event(String key, long minute, int origin, long position, double x) {
        return new EventRef(key, minute * MINUTE, origin, position, new Object[] {x});
    }

    private static BruteForce.Event bruteForce(long minute, long sequence, double x) {
        return new BruteForce.Event(minute * MINUTE, sequence, Map.of("x", x));
    }
}
