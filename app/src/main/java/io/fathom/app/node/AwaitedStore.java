package io.fathom.app.node;

import io.fathom.online.OnlineStore;
import io.fathom.online.StoreRefusedException;
import io.fathom.online.StoreUnavailableException;
import io.fathom.online.StoredSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online store of a node that does not give up when its store (Redis) cannot be reached at start, as it
 * does not give up on missing source topics: the first attempt to open it is made in the constructor; if the
 * store is unavailable, the wait is logged once ({@code waiting for Redis at redis://host:port (reason)}) and
 * the store is opened again every {@link #RETRY} on a thread of its own until it answers. Until then every
 * read and write fails at once with {@link StoreUnavailableException} (the API answers 503, the online writer
 * pauses and retries its batch) and {@link #waiting()} says why, for {@code /readyz}. Any other failure of the
 * first attempt (a malformed URI, refused credentials or certificates: {@link StoreRefusedException}) is thrown from
 * the constructor.
 */
final class AwaitedStore implements OnlineStore {
    static final Duration RETRY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(AwaitedStore.class);

    private final String description;
    private final Supplier<OnlineStore> opener;
    private final ScheduledExecutorService retries;
    private OnlineStore store; // guarded by this; null until opened
    private String waitingFor; // guarded by this; null once opened
    private boolean closed; // guarded by this

    /**
     * @param description what is awaited, for messages, without credentials (e.g. {@code Redis at redis://h:6379})
     * @param opener opens the store, throwing {@link StoreUnavailableException} while it cannot be reached
     */
    AwaitedStore(String description, Supplier<OnlineStore> opener) {
        this.description = Objects.requireNonNull(description, "description");
        this.opener = Objects.requireNonNull(opener, "opener");
        OnlineStore opened = null;
        StoreUnavailableException unavailable = null;
        try {
            opened = opener.get();
        } catch (StoreRefusedException e) {
            throw e; // wrong credentials or certificates: a configuration problem, said at start
        } catch (StoreUnavailableException e) {
            unavailable = e;
        }
        this.store = opened;
        if (unavailable == null) {
            this.retries = null;
            return;
        }
        this.waitingFor = "waiting for " + description + " (" + unavailable.getMessage() + ")";
        LOG.warn("{}; trying again every {} s", waitingFor, RETRY.toSeconds());
        this.retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fathom-online-store-open");
            thread.setDaemon(true);
            return thread;
        });
        retries.scheduleWithFixedDelay(this::tryOpen, RETRY.toMillis(), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tryOpen() {
        synchronized (this) {
            if (closed || store != null) {
                return;
            }
        }
        OnlineStore opened;
        try {
            opened = opener.get();
        } catch (StoreUnavailableException e) {
            synchronized (this) {
                waitingFor = "waiting for " + description + " (" + e.getMessage() + ")";
            }
            return;
        } catch (RuntimeException e) {
            // not a transient failure, but giving up would leave the node up and never ready: keep saying why
            synchronized (this) {
                waitingFor = "cannot open " + description + ": " + e;
            }
            LOG.error("Cannot open {}; trying again every {} s", description, RETRY.toSeconds(), e);
            return;
        }
        synchronized (this) {
            if (closed) {
                opened.close();
                return;
            }
            store = opened;
            waitingFor = null;
        }
        LOG.info("Connected to {}", description);
        retries.shutdown();
    }

    /** Why the store is not open yet; empty once it is. */
    synchronized Optional<String> waiting() {
        return Optional.ofNullable(waitingFor);
    }

    private synchronized OnlineStore store(String operation) {
        if (store == null) {
            throw new StoreUnavailableException(description, operation, waitingFor, null);
        }
        return store;
    }

    @Override
    public void write(List<StoredSnapshot> snapshots) {
        store("write of " + snapshots.size() + " snapshots").write(snapshots);
    }

    @Override
    public List<StoredSnapshot> read(String view, List<String> entityKeys) {
        return store("read of view " + view).read(view, entityKeys);
    }

    @Override
    public void close() {
        OnlineStore opened;
        synchronized (this) {
            closed = true;
            opened = store;
        }
        if (retries != null) {
            retries.shutdownNow();
        }
        if (opened != null) {
            opened.close();
        }
    }

    @Override
    public String toString() {
        return "AwaitedStore[" + description + "]";
    }
}
