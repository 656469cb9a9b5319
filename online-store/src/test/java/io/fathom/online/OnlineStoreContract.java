package io.fathom.online;

import static io.fathom.online.TestViews.MERCHANT;
import static io.fathom.online.TestViews.SHORT;
import static io.fathom.online.TestViews.SHORT_TTL;
import static io.fathom.online.TestViews.USER;
import static io.fathom.online.TestViews.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
        StoredSnapshot older = snapshot(USER, "7", now - 2_000, now - 100, 1);
        StoredSnapshot newer = snapshot(USER, "7", now - 1_000, now - 50, 2);
        store.write(List.of(older));
        store.write(List.of(newer));
        store.write(List.of(older)); // replay from an earlier offset

        assertThat(eventTsOf(USER, "7")).isEqualTo(now - 1_000);
        assertThat(store.read(USER, List.of("7")).get(0)).isEqualTo(newer);
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

    @Test
    void shuffledReplaysConvergeToTheNewestSnapshotOfEachKey() {
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
        all.addAll(all.subList(0, 50)); // replays
        Collections.shuffle(all, random);
        for (int from = 0; from < all.size(); from += 17) {
            store.write(all.subList(from, Math.min(all.size(), from + 17)));
        }

        List<String> keys = List.copyOf(newest.keySet());
        List<StoredSnapshot> read = store.read(USER, keys);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(read.get(i).eventTs()).as("key %s", keys.get(i)).isEqualTo(newest.get(keys.get(i)));
        }
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

    private long eventTsOf(String view, String key) {
        StoredSnapshot snapshot = store.read(view, List.of(key)).get(0);
        assertThat(snapshot).as("%s/%s", view, key).isNotNull();
        return snapshot.eventTs();
    }
}
