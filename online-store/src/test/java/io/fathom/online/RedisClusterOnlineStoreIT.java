package io.fathom.online;

import static io.fathom.online.TestViews.USER;
import static io.fathom.online.TestViews.versioned;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.testkit.RedisCluster;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a real three-master Redis Cluster ({@code redis-cluster://} URI), plus what only a cluster has:
 * a batch whose keys spread over every node, and a read and a write after a key's slot moved to another node.
 */
class RedisClusterOnlineStoreIT extends RedisStoreContract {
    private static RedisCluster cluster;
    private static RedisClusterClient rawClient;
    private static StatefulRedisClusterConnection<byte[], byte[]> raw;

    @BeforeAll
    static void startCluster() {
        cluster = RedisCluster.start(3);
        rawClient = RedisClusterClient.create(cluster.uri().replace("redis-cluster://", "redis://"));
        raw = rawClient.connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stopCluster() {
        raw.close();
        rawClient.shutdown();
        cluster.close();
    }

    @Override
    protected RedisOnlineStore open() {
        raw.sync().flushall();
        // A 10 000-key read is ~7 800 single-slot MGETs on a cluster: on a loaded 2-core test machine that can take
        // longer than the default 500 ms read timeout, which this test is not about.
        return RedisOnlineStore.create(RedisStoreConfig.builder()
                .connection(RedisConnection.of(cluster.uri()))
                .ttlByView(TestViews.TTLS)
                .commandTimeout(Duration.ofSeconds(5))
                .build());
    }

    @Override
    protected void putFormat1Value(String view, String key, byte[] value) {
        raw.sync().set(redisKeyBytes(view, key), value);
    }

    @Test
    void aBatchOverEveryNodeReadsBackInOrder() {
        long now = now();
        List<StoredSnapshot> written = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int user = 0; user < 300; user++) {
            written.add(versioned(USER, "u" + user, 1, now - user, now, 1));
            keys.add("u" + user);
        }
        store.write(written);
        assertThat(keys.stream()
                        .map(k -> cluster.ownerOf(cluster.slotOf(redisKey(USER, k))))
                        .distinct())
                .as("the keys spread over all three nodes")
                .hasSize(3);

        assertThat(store.read(USER, keys)).containsExactlyElementsOf(written);
    }

    @Test
    void aKeyWhoseSlotMovedIsReadAndWrittenOnItsNewNode() {
        long now = now();
        StoredSnapshot first = versioned(USER, "7", 1, now - 2_000, now - 100, 1);
        store.write(List.of(first));
        String key = redisKey(USER, "7");
        int slot = cluster.slotOf(key);
        int to = (cluster.ownerOf(slot) + 1) % 3;

        cluster.moveSlot(slot, to, List.of(key));

        assertThat(cluster.ownerOf(slot)).isEqualTo(to);
        assertThat(store.read(USER, List.of("7"))).containsExactly(first);
        StoredSnapshot second = versioned(USER, "7", 2, now - 1_000, now - 50, 2);
        store.write(List.of(second));
        assertThat(store.read(USER, List.of("7"))).containsExactly(second);
        assertThat(raw.sync().get(redisKeyBytes(USER, "7")))
                .as("the value lives on the new node")
                .isNotNull();
    }

    private static byte[] redisKeyBytes(String view, String key) {
        return redisKey(view, key).getBytes(StandardCharsets.UTF_8);
    }
}
