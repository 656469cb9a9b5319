package io.fathom.online;

import static io.fathom.online.TestViews.USER;
import static io.fathom.online.TestViews.snapshot;
import static io.fathom.online.TestViews.versioned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fathom.online.internal.SnapshotValue;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.testkit.RedisExtension;
import io.fathom.testkit.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The contract on a real Redis, plus what only Redis has: its key layout, PXAT expiry, outages. */
@ExtendWith(RedisExtension.class)
class RedisOnlineStoreIT extends RedisStoreContract {
    private static RedisClient rawClient;
    private static StatefulRedisConnection<byte[], byte[]> raw;

    private final RedisServer redis;

    RedisOnlineStoreIT(RedisServer redis) {
        this.redis = redis;
    }

    @BeforeAll
    static void connectRaw(RedisServer redis) {
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void closeRaw() {
        raw.close();
        rawClient.shutdown();
    }

    @Override
    protected RedisOnlineStore open() {
        redis.start(); // in case a failed test left it stopped
        redis.flushAll();
        return RedisOnlineStore.create(redis.uri(), TestViews.TTLS);
    }

    @Override
    protected void putFormat1Value(String view, String key, byte[] value) {
        raw.sync().set(redisKey(view, key).getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void keysAndValuesFollowTheDocumentedLayout() {
        long now = now();
        StoredSnapshot written = versioned(USER, "a|b", 9, now - 5, now, 2);
        store.write(List.of(written));

        byte[] key = "fathom:v1:user_txn:a|b".getBytes(StandardCharsets.UTF_8);
        byte[] value = raw.sync().get(key);
        assertThat(value[0]).isEqualTo((byte) 2);
        assertThat(ByteBuffer.wrap(value, 1, 8).getLong()).isEqualTo(9 ^ Long.MIN_VALUE);
        assertThat(ByteBuffer.wrap(value, 9, 8).getLong()).isEqualTo((now - 5) ^ Long.MIN_VALUE);
        assertThat(ByteBuffer.wrap(value, 17, 8).getLong()).isEqualTo(now ^ Long.MIN_VALUE);
        assertThat(Arrays.copyOfRange(value, SnapshotValue.HEADER, value.length))
                .as("the state's bytes, as written")
                .isEqualTo(new EntityStateCodec().encode(TestViews.state(USER, now - 5, 2)));
        assertThat(raw.sync().pexpiretime(key))
                .isEqualTo(now - 5 + TestViews.view(USER).ttl().toMillis());
    }

    @Test
    void theScriptComparesVersionsAndTimesAcrossTheSignBoundary() {
        long now = now();
        ByteBuffer state = snapshot(USER, "signs", now, 5, 1).state();
        assertTheLaterOutlivesAReplayOfTheEarlier(
                new StoredSnapshot(USER, "signs", now, -5L, state, 0),
                new StoredSnapshot(USER, "signs", now, 256L, state, 0));
        for (long below : new long[] {-5L, 1L}) {
            assertTheLaterOutlivesAReplayOfTheEarlier(
                    new StoredSnapshot(USER, "versions", now, now, state, below),
                    new StoredSnapshot(USER, "versions", now - 2, now - 1, state, 256L));
        }
    }

    @Test
    void writesWorkAgainAfterRedisForgetsTheScript() {
        long now = now();
        store.write(List.of(snapshot(USER, "s", now - 2, now, 1)));
        raw.sync().scriptFlush();

        store.write(List.of(snapshot(USER, "s", now - 1, now, 1)));

        assertThat(store.read(USER, List.of("s")).get(0).eventTs()).isEqualTo(now - 1);
    }

    @Test
    void readsAndWritesFailFastWhileRedisIsDownAndWorkAgainWhenItReturns() {
        long now = now();
        store.write(List.of(snapshot(USER, "outage", now - 1, now, 1)));
        redis.stop();
        try {
            long startedAt = System.nanoTime();
            assertThatThrownBy(() -> store.read(USER, List.of("outage")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining(store.name())
                    .hasMessageContaining("read user_txn (1 keys)")
                    .hasCauseInstanceOf(RuntimeException.class);
            assertThatThrownBy(() -> store.write(List.of(snapshot(USER, "outage", now, now, 1))))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("write of 1 snapshots");
            assertThat(Duration.ofNanos(System.nanoTime() - startedAt)).isLessThan(Duration.ofSeconds(2));
        } finally {
            redis.start();
        }
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                .untilAsserted(() -> assertThat(
                                store.read(USER, List.of("outage")).get(0).eventTs())
                        .isEqualTo(now - 1));
        store.write(List.of(snapshot(USER, "outage", now, now, 1)));
        assertThat(store.read(USER, List.of("outage")).get(0).eventTs()).isEqualTo(now);
    }

    @Test
    void connectingToNothingFailsAsUnavailable() {
        assertThatThrownBy(() -> RedisOnlineStore.create(RedisStoreConfig.builder()
                        .connection(RedisConnection.of("redis://127.0.0.1:1"))
                        .ttlByView(TestViews.TTLS)
                        .connectTimeout(Duration.ofMillis(300))
                        .build()))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("redis redis://127.0.0.1:1")
                .hasMessageContaining("connect failed");
    }

    @Test
    void rejectsMalformedUrisAndViewNames() {
        assertThatThrownBy(() -> RedisOnlineStore.create("localhost:6379", TestViews.TTLS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a Redis URI");
        assertThatThrownBy(() -> RedisOnlineStore.create(redis.uri(), java.util.Map.of("a:b", Duration.ofDays(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a:b");
    }
}
