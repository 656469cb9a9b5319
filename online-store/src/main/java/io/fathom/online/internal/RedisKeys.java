package io.fathom.online.internal;

import java.nio.charset.StandardCharsets;

/**
 * Redis key layout, version 1: {@code fathom:v1:<view>:<entityKey>} in UTF-8, where {@code entityKey} is
 * the canonical entity key ({@code io.fathom.core.EntityKey#encoded()}). View names hold no {@code :}
 * (see {@link ViewTtls}), so the key parses back unambiguously; the entity key is last and may hold
 * anything.
 *
 * <p>No hash tag is added: on Redis Cluster each key goes to the slot of its whole name, so one view's
 * entities spread over every node. A batch read is split by slot (Lettuce's cluster {@code MGET} does this
 * and runs the parts in parallel, one pipelined round trip per node); the write script touches one key
 * and runs on that key's node.
 */
public final class RedisKeys {
    public static final String PREFIX = "fathom:v1:";

    private RedisKeys() {}

    public static byte[] key(String view, String entityKey) {
        return (PREFIX + view + ':' + entityKey).getBytes(StandardCharsets.UTF_8);
    }
}
