package io.fathom.offline;

import static io.fathom.offline.Clicks.DEFINITIONS;
import static io.fathom.offline.Clicks.MINUTE;
import static io.fathom.offline.Clicks.T0;
import static io.fathom.offline.Clicks.VIEW;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.schemas.VersionedState;
import io.fathom.testkit.BruteForce;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A view backfilled from an archive whose events arrived in an order unrelated to event time, through two
 * partitions: its snapshot log serves as-known-at training sets equal to the brute force over the events
 * (every snapshot is created at its event time), each entity's latest state counts its events, a boundary
 * keeps the events at and after it out, and a re-run replaces what the last one wrote.
 */
class BackfillTest {
    @TempDir
    Path dir;

    private record Input(List<BruteForce.Event> events, List<EventArchive.Archived> archive) {}

    /** 500 events of 6 users over 4h10m across midnight, archived shuffled through two partitions, and 2 bad ones. */
    private Input archive(Random random) {
        List<BruteForce.Event> events = Clicks.events(random, 500, 3, 1_000); // some events of a user share a time
        List<EventArchive.Archived> archive = new Clicks.Archive()
                .shuffled(events, random)
                .add(0, T0 + 150 * MINUTE, Map.of(), "{not json")
                .add(1, T0 + 150 * MINUTE, Map.of("user_id", 1L, "x", "abc", "tag", "t9"), null)
                .archived();
        EventArchive.write(dir.resolve("store"), DEFINITIONS.source("clicks").orElseThrow(), archive, random, 40);
        return new Input(events, archive);
    }

    private BackfillResult backfill(BackfillRequest request, Map<String, VersionedState> latest) {
        try (Backfill backfill = new Backfill(
                DEFINITIONS,
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build(),
                Clock.systemUTC())) {
            return backfill.run(request, ProgressListener.NONE, (key, state) -> assertThat(latest.put(key, state))
                    .as("one latest state per entity")
                    .isNull());
        }
    }

    private List<TrainingRow> asKnownAt(List<EntityRow> rows) {
        try (PointInTimeJoin join = new PointInTimeJoin(
                DEFINITIONS,
                OfflineStoreConfig.builder(dir.resolve("store")).build(),
                JoinOptions.builder().spillDirectory(dir.resolve("spill")).build())) {
            return join.join(rows, List.of("clicks_v:*"), true);
        }
    }

    private static List<EntityRow> rows(Random random) {
        List<EntityRow> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new EntityRow(
                    Map.of("user_id", 1L + random.nextInt(7)), T0 - 10 * MINUTE + random.nextInt(270) * MINUTE));
        }
        return rows;
    }

    private static void assertBruteForce(
            List<EntityRow> rows, List<TrainingRow> joined, List<BruteForce.Event> events) {
        int withValues = 0;
        for (int i = 0; i < rows.size(); i++) {
            Reference.EventTime expected =
                    Reference.assertEventTime(DEFINITIONS, VIEW, events, joined.get(i), "row " + i);
            withValues += expected.latest().isPresent() ? 1 : 0;
        }
        assertThat(withValues).isGreaterThan(rows.size() / 2);
    }

    @Test
    void theSnapshotLogOfABackfilledViewServesTheBruteForceAsKnownAtAndTheLatestStatesCountEveryEvent() {
        Random random = new Random(31);
        Input input = archive(random);
        Map<String, VersionedState> latest = new ConcurrentHashMap<>();

        BackfillResult result = backfill(BackfillRequest.builder("clicks_v").build(), latest);

        assertThat(result.events()).isEqualTo(input.events().size());
        assertThat(result.skipped()).isEqualTo(2);
        assertThat(result.snapshots()).isEqualTo(input.events().size());
        assertThat(result.entities()).isEqualTo(6);
        assertThat(result.snapshotFiles()).isGreaterThanOrEqualTo(2); // two UTC days
        assertThat(StoredSnapshots.count(dir.resolve("store"), "clicks_v"))
                .isEqualTo(input.events().size());
        List<EntityRow> rows = rows(random);
        assertBruteForce(rows, asKnownAt(rows), input.events());
        Map<String, Long> counts = new HashMap<>();
        Map<String, Long> lastTimes = new HashMap<>();
        for (BruteForce.Event event : input.events()) {
            String key = Reference.key(
                    DEFINITIONS,
                    VIEW,
                    new EntityRow(Map.of("user_id", event.fields().get("user_id")), 0));
            counts.merge(key, 1L, Long::sum);
            lastTimes.merge(key, event.ts(), Math::max);
        }
        assertThat(latest.keySet()).containsExactlyInAnyOrderElementsOf(counts.keySet());
        latest.forEach((key, state) -> {
            assertThat(state.version()).as(key).isEqualTo(counts.get(key));
            assertThat(state.state().getLatestEventTs()).as(key).isEqualTo(lastTimes.get(key));
        });
    }

    @Test
    void aBoundaryKeepsLaterOffsetsOutAndAReRunReplacesWhatTheLastOneWrote() {
        Random random = new Random(47);
        Input input = archive(random);
        Map<Integer, Long> boundary = Map.of(0, 120L, 1, 90L);
        List<BruteForce.Event> before = new ArrayList<>();
        for (EventArchive.Archived event : input.archive()) {
            if (event.rawJson() == null
                    && event.fields().containsKey("ts")
                    && event.offset() < boundary.get(event.partition())) {
                before.add(new BruteForce.Event(event.eventTs(), before.size(), event.fields()));
            }
        }
        BackfillRequest request =
                BackfillRequest.builder("clicks_v").boundary(boundary).build();

        Map<String, VersionedState> first = new ConcurrentHashMap<>();
        BackfillResult once = backfill(request, first);
        Map<String, VersionedState> second = new ConcurrentHashMap<>();
        BackfillResult twice = backfill(request, second);

        assertThat(once.events()).isEqualTo(before.size());
        assertThat(twice.replacedFiles()).isEqualTo(once.snapshotFiles());
        assertThat(StoredSnapshots.count(dir.resolve("store"), "clicks_v")).isEqualTo(before.size());
        assertThat(second.keySet()).isEqualTo(first.keySet());
        second.forEach((key, state) ->
                assertThat(state.version()).isEqualTo(first.get(key).version()));
        List<EntityRow> rows = rows(random);
        assertBruteForce(rows, asKnownAt(rows), before);
    }

    @Test
    void fromWritesSnapshotsOfItsDayOnwardWhoseStatesStillHoldTheEarlierEvents() {
        Random random = new Random(5);
        Input input = archive(random);
        backfill(BackfillRequest.builder("clicks_v").build(), new ConcurrentHashMap<>());
        long secondDay = Instant.parse("2026-10-02T00:00:00Z").toEpochMilli();
        long onSecondDay =
                input.events().stream().filter(e -> e.ts() >= secondDay).count();

        BackfillResult result = backfill(
                BackfillRequest.builder("clicks_v")
                        .from(java.util.Optional.of(Instant.parse("2026-10-02T07:00:00Z")))
                        .build(),
                new ConcurrentHashMap<>());

        assertThat(result.snapshots()).isEqualTo(onSecondDay);
        assertThat(result.events()).isEqualTo(input.events().size());
        assertThat(StoredSnapshots.count(dir.resolve("store"), "clicks_v"))
                .isEqualTo(input.events().size());
        List<EntityRow> rows = rows(random);
        assertBruteForce(rows, asKnownAt(rows), input.events());
    }
}
