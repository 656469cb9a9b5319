package io.fathom.online;

import static io.fathom.online.TestViews.USER;
import static io.fathom.online.TestViews.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class RocksDbOnlineStoreTest extends OnlineStoreContract<RocksDbOnlineStore> {
    private static final long T0 = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);

    @Override
    protected RocksDbOnlineStore open() {
        return RocksDbOnlineStore.open(dir.resolve("online"), TestViews.TTLS, clock);
    }

    @Override
    protected long now() {
        return clock.millis();
    }

    @Override
    protected void passTime(long millis) {
        clock.advance(millis);
    }

    /** Closes the store, puts the value with RocksDB's own API under the documented key, and reopens it. */
    @Override
    protected void putFormat1Value(String view, String key, byte[] value) {
        store.close();
        byte[] rawKey = (view + "\0" + key).getBytes(StandardCharsets.UTF_8);
        try (Options options = new Options();
                RocksDB db = RocksDB.open(options, dir.resolve("online").toString())) {
            db.put(rawKey, value);
        } catch (RocksDBException e) {
            throw new IllegalStateException(e);
        }
        store = open();
    }

    @Test
    void aSnapshotIsLiveUntilExactlyEventTsPlusTtl() {
        store.write(List.of(snapshot(TestViews.SHORT, "edge", T0, T0, 1)));
        clock.set(T0 + TestViews.SHORT_TTL.toMillis());
        assertThat(store.read(TestViews.SHORT, List.of("edge"))).doesNotContainNull();
        clock.advance(1);
        assertThat(store.read(TestViews.SHORT, List.of("edge"))).containsExactly((StoredSnapshot) null);
    }

    @Test
    void purgeDeletesOnlyExpiredValues() {
        store.write(List.of(snapshot(TestViews.SHORT, "old", T0, T0, 1), snapshot(USER, "kept", T0, T0, 1)));
        clock.advance(TestViews.SHORT_TTL.toMillis() + 1);

        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.purgeExpired()).isZero();
        assertThat(store.read(USER, List.of("kept"))).doesNotContainNull();
    }

    @Test
    void keepsItsDataAcrossReopening() {
        store.write(List.of(snapshot(USER, "durable", T0 - 5, T0, 2)));
        store.close();
        store = open();
        assertThat(store.read(USER, List.of("durable")).get(0).eventTs()).isEqualTo(T0 - 5);
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        assertThatThrownBy(() -> store.read(USER, List.of("x")))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("rocksdb")
                .hasMessageContaining("closed");
        store.close(); // idempotent
    }

    @Test
    void aDirectoryHeldByAnotherStoreCannotBeOpened() {
        assertThatThrownBy(() -> RocksDbOnlineStore.open(dir.resolve("online"), TestViews.TTLS, clock))
                .isInstanceOf(OnlineStoreException.class)
                .hasMessageContaining("open failed");
    }
}
