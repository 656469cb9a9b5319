package io.fathom.online;

import static io.fathom.online.TestViews.MERCHANT;
import static io.fathom.online.TestViews.SHORT;
import static io.fathom.online.TestViews.SHORT_TTL;
import static io.fathom.online.TestViews.USER;
import static io.fathom.online.TestViews.events;
import static io.fathom.online.TestViews.snapshot;
import static io.fathom.online.TestViews.versioned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fathom.online.internal.Format1Values;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.avro.EntityState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link OnlineStore} contract, run against every implementation: a subclass opens a fresh, empty
 * store serving {@link TestViews#TTLS} and says how time passes for it.
 */
abstract class OnlineStoreContract<S extends OnlineStore> {

    /** The store under test: opened empty before each test, closed after it. A test may replace it. */
    protected S store;

    /** A fresh, empty store serving {@link TestViews#TTLS}. */
    protected abstract S open();

    /** Now, by the store's clock. */
    protected abstract long now();

    /** Makes the store's clock pass {@code millis} (a fake clock jumps; a real one is waited for). */
    protected abstract void passTime(long millis);

    /** Puts {@code value} under the store's key of (view, key) as it is, as a store of an earlier release did. */
    protected abstract void putFormat1Value(String view, String key, byte[] value);

    @BeforeEach
    final void openStore() {
        store = open();
    }

    @AfterEach
    final void closeStore() {
        store.close();
    }

    @Test
    void readsBackWhatWasWritten() {
        long now = now();
        StoredSnapshot written = snapshot(USER, "42", now - 1_000, now, 3);
        store.write(List.of(written));

        List<StoredSnapshot> read = store.read(USER, List.of("42"));

        assertThat(read).hasSize(1);
        assertThat(read.get(0).eventTs()).isEqualTo(now - 1_000);
        assertThat(read.get(0).createdTs()).isEqualTo(now);
        assertThat(read.get(0).decodeState()).isEqualTo(TestViews.state(USER, now - 1_000, 3));
        assertThat(read.get(0)).as("what read returns is what write took").isEqualTo(written);
    }

    @Test
    void answersABatchInInputOrderWithNullsForMissingKeys() {
        long now = now();
        store.write(List.of(snapshot(USER, "1", now - 10, now, 1), snapshot(USER, "3", now - 30, now, 3)));

        List<StoredSnapshot> read = store.read(USER, List.of("3", "2", "1", "3", "never"));

        assertThat(read).hasSize(5);
        assertThat(read.get(0).eventTs()).isEqualTo(now - 30);
        assertThat(read.get(1)).isNull();
        assertThat(read.get(2).eventTs()).isEqualTo(now - 10);
        assertThat(read.get(3).eventTs()).isEqualTo(now - 30);
        assertThat(read.get(4)).isNull();
        assertThat(store.read(USER, List.of())).isEmpty();
    }

    @Test
    void aReplayedOlderSnapshotNeverReplacesANewerOne() {
        long now = now();
        assertTheLaterOutlivesAReplayOfTheEarlier(
                snapshot(USER, "7", now - 2_000, now - 100, 1), snapshot(USER, "7", now - 1_000, now - 50, 2));
        assertThat(eventTsOf(USER, "7")).isEqualTo(now - 1_000);
    }

    @Test
    void createdTsBreaksTiesOfEventTs() {
        long now = now();
        StoredSnapshot first = snapshot(USER, "8", now - 1_000, now - 200, 1);
        StoredSnapshot reIngested = snapshot(USER, "8", now - 1_000, now - 100, 2);
        store.write(List.of(reIngested));
        store.write(List.of(first));
        assertThat(store.read(USER, List.of("8")).get(0).createdTs()).isEqualTo(now - 100);

        store.write(List.of(reIngested)); // an identical replay changes nothing
        assertThat(store.read(USER, List.of("8")).get(0)).isEqualTo(reIngested);
    }

    /**
     * Issue 10's lost updates: ingest's next state of an entity with the same times as the one before it (an
     * earlier event arriving after a later one, created in the same millisecond) was dropped as "not newer".
     */
    @Test
    void aStateThatFollowsAnotherWithTheSameTimesWinsAcrossBatches() {
        long now = now();
        StoredSnapshot before = versioned(USER, "tie", 7, now - 1_000, now, 3);
        StoredSnapshot after = versioned(USER, "tie", 8, now - 1_000, now, 4);

        assertTheLaterOutlivesAReplayOfTheEarlier(before, after);
        assertThat(events(store.read(USER, List.of("tie")).get(0))).isEqualTo(4);
    }

    @Test
    void aStateThatFollowsAnotherWithTheSameTimesWinsInOneBatchInEitherOrder() {
        long now = now();
        StoredSnapshot before = versioned(USER, "tie", 1, now - 1_000, now, 1);
        StoredSnapshot after = versioned(USER, "tie", 2, now - 1_000, now, 2);
        StoredSnapshot otherBefore = versioned(USER, "tie2", 1, now - 1_000, now, 1);
        StoredSnapshot otherAfter = versioned(USER, "tie2", 2, now - 1_000, now, 2);

        store.write(List.of(before, after, otherAfter, otherBefore));

        assertThat(store.read(USER, List.of("tie", "tie2"))).containsExactly(after, otherAfter);
    }

    @Test
    void theGreaterVersionWinsWhenIngestsClockWentBack() {
        long now = now();
        assertTheLaterOutlivesAReplayOfTheEarlier(
                versioned(USER, "clock", 4, now - 1_000, now, 2),
                versioned(USER, "clock", 5, now - 1_000, now - 60_000, 3));
    }

    @Test
    void aReplayOfTheStoredVersionChangesNothing() {
        long now = now();
        StoredSnapshot stored = versioned(USER, "replay", 3, now - 1_000, now, 3);
        store.write(List.of(stored));
        store.write(List.of(stored, stored));
        assertThat(store.read(USER, List.of("replay")).get(0)).isEqualTo(stored);
    }

    @Test
    void anyVersionFollowsASnapshotWithoutOne() {
        long now = now();
        assertTheLaterOutlivesAReplayOfTheEarlier(
                snapshot(USER, "first", now - 1_000, now, 2), versioned(USER, "first", 1, now - 1_000, now - 5, 3));
    }

    /** Values the store wrote before versions existed (format 1) read as version 0, and any version follows them. */
    @Test
    void valuesWrittenBeforeVersionsStillReadAndAreOrderedAsVersionZero() {
        long now = now();
        EntityState state = TestViews.state(USER, now - 1_000, 2);
        byte[] bytes = new EntityStateCodec().encode(state);
        putFormat1Value(USER, "old", Format1Values.of(now - 1_000, now - 10, bytes));
        putFormat1Value(USER, "older", Format1Values.of(now - 1_000, now - 10, bytes));

        StoredSnapshot read = store.read(USER, List.of("old")).get(0);
        assertThat(read).isEqualTo(StoredSnapshot.of(USER, "old", now - 1_000, now - 10, state, 0));

        store.write(
                List.of(StoredSnapshot.of(USER, "old", now - 1_000, now - 10, TestViews.state(USER, now - 1_000, 5))));
        assertThat(events(store.read(USER, List.of("old")).get(0)))
                .as("version 0 with equal times: a replay, not written")
                .isEqualTo(2);
        StoredSnapshot next = versioned(USER, "old", 1, now - 1_000, now - 20, 3);
        store.write(List.of(next));
        assertThat(store.read(USER, List.of("old")).get(0)).isEqualTo(next);

        StoredSnapshot later = snapshot(USER, "older", now - 1_000, now - 9, 4);
        store.write(List.of(later));
        assertThat(store.read(USER, List.of("older")).get(0))
                .as("without versions, the later created_ts wins as before")
                .isEqualTo(later);
    }

    @Test
    void theNewestSnapshotOfABatchWinsWhateverItsPosition() {
        long now = now();
        store.write(List.of(
                snapshot(USER, "a", now - 300, now, 1),
                snapshot(USER, "a", now - 100, now, 3),
                snapshot(USER, "a", now - 200, now, 2),
                snapshot(USER, "b", now - 100, now, 1),
                snapshot(USER, "b", now - 900, now, 1)));

        assertThat(store.read(USER, List.of("a", "b")))
                .extracting(StoredSnapshot::eventTs)
                .containsExactly(now - 100, now - 100);
    }

    /**
     * Each key gets ingest's sequence of states: versions 1 to 10, event times that never go back and often stay
     * (earlier events arriving late), created times that often share a millisecond and sometimes go back.
     * Shuffled, replayed and written in batches, every key ends at its last state.
     */
    @Test
    void shuffledReplaysConvergeToTheLastStateOfEachKey() {
        long now = now();
        Random random = new Random(7);
        List<StoredSnapshot> all = new ArrayList<>();
        Map<String, StoredSnapshot> last = new HashMap<>();
        for (int key = 0; key < 20; key++) {
            long eventTs = now - 60_000 + random.nextInt(10_000);
            long createdTs = now - random.nextInt(1_000);
            for (int version = 1; version <= 10; version++) {
                eventTs += random.nextBoolean() ? 0 : random.nextInt(5_000);
                createdTs += random.nextInt(3) - 1;
                StoredSnapshot snapshot = versioned(USER, "k" + key, version, eventTs, createdTs, version);
                all.add(snapshot);
                last.put("k" + key, snapshot);
            }
        }
        assertThat(writeShuffledWithReplays(all, random)).isEqualTo(last);
    }

    /** Without versions (snapshots written before them), the greatest (event_ts, created_ts) of each key wins. */
    @Test
    void shuffledReplaysWithoutVersionsConvergeToTheNewestSnapshotOfEachKey() {
        long now = now();
        Random random = new Random(7);
        List<StoredSnapshot> all = new ArrayList<>();
        Map<String, Long> newest = new HashMap<>();
        for (int key = 0; key < 20; key++) {
            for (int version = 0; version < 10; version++) {
                long eventTs = now - 60_000 + random.nextInt(50_000);
                long createdTs = now - random.nextInt(1_000);
                all.add(snapshot(USER, "k" + key, eventTs, createdTs, 1));
                newest.merge("k" + key, eventTs, Math::max);
            }
        }
        Map<String, StoredSnapshot> stored = writeShuffledWithReplays(all, random);
        assertThat(stored.keySet()).isEqualTo(newest.keySet());
        stored.forEach((key, snapshot) ->
                assertThat(snapshot.eventTs()).as("key %s", key).isEqualTo(newest.get(key)));
    }

    /**
     * Writes {@code all} and 50 of them again (replays), shuffled, in batches of 17, and returns what the store
     * then holds for each key of the user view written.
     */
    private Map<String, StoredSnapshot> writeShuffledWithReplays(List<StoredSnapshot> all, Random random) {
        List<StoredSnapshot> writes = new ArrayList<>(all);
        writes.addAll(all.subList(0, 50));
        Collections.shuffle(writes, random);
        for (int from = 0; from < writes.size(); from += 17) {
            store.write(writes.subList(from, Math.min(writes.size(), from + 17)));
        }
        List<String> keys =
                all.stream().map(StoredSnapshot::entityKey).distinct().toList();
        List<StoredSnapshot> read = store.read(USER, keys);
        Map<String, StoredSnapshot> stored = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            stored.put(keys.get(i), read.get(i));
        }
        return stored;
    }

    @Test
    void aKeyExpiresTtlAfterItsEventTime() {
        long now = now();
        store.write(List.of(snapshot(SHORT, "brief", now, now, 1)));
        assertThat(store.read(SHORT, List.of("brief"))).doesNotContainNull();

        passTime(SHORT_TTL.toMillis() + 1);

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(
                        () -> assertThat(store.read(SHORT, List.of("brief"))).containsExactly((StoredSnapshot) null));
    }

    @Test
    void aSnapshotAlreadyPastItsTtlIsNeverReturned() {
        long now = now();
        store.write(List.of(snapshot(SHORT, "stale", now - SHORT_TTL.toMillis() - 1_000, now, 1)));
        assertThat(store.read(SHORT, List.of("stale"))).containsExactly((StoredSnapshot) null);
    }

    @Test
    void expiryCountsFromTheNewestSnapshot() {
        long now = now();
        store.write(List.of(snapshot(SHORT, "renewed", now, now, 1)));
        store.write(List.of(snapshot(SHORT, "renewed", now - 1_000, now, 1))); // older: no effect on expiry
        assertThat(store.read(SHORT, List.of("renewed")).get(0).eventTs()).isEqualTo(now);
    }

    @Test
    void writesAndReadsTenThousandKeysInOneBatch() {
        long now = now();
        List<StoredSnapshot> batch = IntStream.range(0, 10_000)
                .mapToObj(i -> snapshot(USER, "user-" + i, now - i, now, 1))
                .toList();
        store.write(batch);

        List<String> keys = new ArrayList<>(
                IntStream.range(0, 10_000).mapToObj(i -> "user-" + i).toList());
        keys.add(5_000, "absent");
        List<StoredSnapshot> read = store.read(USER, keys);

        assertThat(read).hasSize(10_001);
        assertThat(read.get(5_000)).isNull();
        for (int i = 0; i < 10_000; i++) {
            StoredSnapshot snapshot = read.get(i < 5_000 ? i : i + 1);
            assertThat(snapshot).as("user-%d", i).isNotNull();
            assertThat(snapshot.eventTs()).as("user-%d", i).isEqualTo(now - i);
        }
    }

    @Test
    void viewsAreIsolated() {
        long now = now();
        store.write(List.of(snapshot(USER, "5", now - 10, now, 1), snapshot(MERCHANT, "5", now - 20, now, 2)));
        store.write(List.of(snapshot(USER, "only-user", now - 10, now, 1)));

        assertThat(eventTsOf(USER, "5")).isEqualTo(now - 10);
        assertThat(eventTsOf(MERCHANT, "5")).isEqualTo(now - 20);
        assertThat(store.read(MERCHANT, List.of("only-user"))).containsExactly((StoredSnapshot) null);
    }

    @Test
    void keysMayHoldAnyCharacter() {
        long now = now();
        List<String> keys = List.of("a\\|b|7", "x:y:z", "{tag}", "ünïcödé ✓", "");
        store.write(keys.stream()
                .map(key -> snapshot(USER, key, now - key.length(), now, 1))
                .toList());
        assertThat(store.read(USER, keys))
                .extracting(StoredSnapshot::eventTs)
                .containsExactlyElementsOf(
                        keys.stream().map(key -> now - key.length()).toList());
    }

    @Test
    void aBatchWithAnUnknownViewIsRejectedWhole() {
        long now = now();
        List<StoredSnapshot> batch = List.of(
                snapshot(USER, "fine", now, now, 1),
                StoredSnapshot.of("nope", "1", now, now, TestViews.state(USER, now, 1)));

        assertThatThrownBy(() -> store.write(batch))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("unknown view nope")
                .matches(e -> !((OnlineStoreException) e).unavailable());
        assertThat(store.read(USER, List.of("fine"))).containsExactly((StoredSnapshot) null);
        assertThatThrownBy(() -> store.read("nope", List.of("1")))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("nope");
    }

    @Test
    void anEmptyWriteDoesNothing() {
        store.write(List.of());
        assertThat(store.read(USER, List.of("x"))).containsExactly((StoredSnapshot) null);
    }

    /**
     * Writes {@code earlier}, then {@code later}, then {@code earlier} again (a replay from an earlier offset), each
     * in a batch of its own: the store must hold {@code later}.
     */
    protected final void assertTheLaterOutlivesAReplayOfTheEarlier(StoredSnapshot earlier, StoredSnapshot later) {
        store.write(List.of(earlier));
        store.write(List.of(later));
        store.write(List.of(earlier));
        assertThat(store.read(later.view(), List.of(later.entityKey())).get(0)).isEqualTo(later);
    }

    private long eventTsOf(String view, String key) {
        StoredSnapshot snapshot = store.read(view, List.of(key)).get(0);
        assertThat(snapshot).as("%s/%s", view, key).isNotNull();
        return snapshot.eventTs();
    }
}
