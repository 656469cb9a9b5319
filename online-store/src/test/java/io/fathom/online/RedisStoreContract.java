package io.fathom.online;

/**
 * The store contract for a store on a real Redis (one server or a cluster): time is the real clock, by which Redis
 * expires keys itself.
 */
abstract class RedisStoreContract extends OnlineStoreContract<RedisOnlineStore> {
    @Override
    protected long now() {
        return System.currentTimeMillis();
    }

    @Override
    protected void passTime(long millis) {
        // Redis expires keys by its own (real) clock: the contract's Awaitility wait covers the time.
    }

    /** The key the store keeps (view, key) under (the documented layout). */
    static String redisKey(String view, String key) {
        return "fathom:v1:" + view + ":" + key;
    }
}
