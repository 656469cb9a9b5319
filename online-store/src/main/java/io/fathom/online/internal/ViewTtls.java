package io.fathom.online.internal;

import io.fathom.online.OnlineStoreException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The views a store serves and their ttl in millis, validated once: names are non-empty and hold neither
 * {@code :} (the separator of Redis keys and of {@code view:feature} names) nor NUL (the separator of
 * RocksDB keys); ttls are whole, non-negative milliseconds.
 */
public final class ViewTtls {
    private final Map<String, Long> ttlMillis;

    private ViewTtls(Map<String, Long> ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    public static ViewTtls of(Map<String, Duration> ttlByView) {
        Objects.requireNonNull(ttlByView, "ttlByView");
        if (ttlByView.isEmpty()) {
            throw new IllegalArgumentException("an online store needs at least one view");
        }
        Map<String, Long> millis = new LinkedHashMap<>();
        ttlByView.forEach((view, ttl) -> {
            Objects.requireNonNull(view, "view name");
            Objects.requireNonNull(ttl, "ttl of view " + view);
            if (view.isEmpty() || view.indexOf(':') >= 0 || view.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(
                        "view name \"" + view + "\" must be non-empty and hold neither ':' nor NUL");
            }
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("view " + view + ": ttl must not be negative, was " + ttl);
            }
            millis.put(view, ttl.toMillis());
        });
        return new ViewTtls(Map.copyOf(millis));
    }

    public boolean contains(String view) {
        return ttlMillis.containsKey(view);
    }

    /**
     * Checks the arguments of a read of {@code entityKeys} of {@code view} from the store named {@code store};
     * returns the read's name, for its errors.
     *
     * @throws OnlineStoreException for a view the store does not serve
     */
    public String checkRead(String store, String view, List<String> entityKeys) {
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(entityKeys, "entityKeys");
        String operation = "read " + view + " (" + entityKeys.size() + " keys)";
        requireServed(store, operation, view);
        return operation;
    }

    /** @throws OnlineStoreException naming the store and the operation, for a view the store does not serve */
    public void requireServed(String store, String operation, String view) {
        if (!contains(view)) {
            throw new OnlineStoreException(store, operation, "unknown view " + view + ", the store serves " + this);
        }
    }

    /** The ttl of a view the store serves. */
    public long ttlMillis(String view) {
        Long ttl = ttlMillis.get(view);
        if (ttl == null) {
            throw new IllegalArgumentException("unknown view " + view);
        }
        return ttl;
    }

    /** {@code event_ts + ttl}, saturated at {@code Long.MAX_VALUE}: the last instant the snapshot is live. */
    public long expiresAt(String view, long eventTs) {
        long ttl = ttlMillis(view);
        long sum = eventTs + ttl;
        return ((eventTs ^ sum) & (ttl ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    @Override
    public String toString() {
        return ttlMillis.toString();
    }
}
