package io.fathom.app.http;

import io.fathom.offline.PointInTimeJoin;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineStore;
import io.fathom.schemas.FeatureDefinitions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The open HTTP API of the example definitions on a free port, over {@link ExampleStores} in a test's directory;
 * closed in reverse order.
 */
final class LocalApi implements AutoCloseable {
    final FeatureDefinitions definitions;
    final OnlineStore store;
    final PointInTimeJoin join;
    final HttpServer server;
    private final ExampleStores stores;
    private final Clock clock;
    private final Map<String, Supplier<Object>> getRoutes;

    LocalApi(Path dir, Clock clock, Map<String, Supplier<Object>> getRoutes) {
        this.clock = clock;
        this.getRoutes = getRoutes;
        this.stores = ExampleStores.open(dir, clock);
        this.definitions = stores.definitions;
        this.store = stores.store;
        this.join = stores.join;
        this.server = serve(store);
    }

    /** Another server of the same definitions and join over another online store (the caller closes it). */
    HttpServer serve(OnlineStore onlineStore) {
        return new HttpServer(
                "127.0.0.1",
                0,
                new OnlineFeatureReader(definitions, onlineStore, clock),
                join,
                definitions,
                getRoutes,
                () -> true,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @Override
    public void close() throws Exception {
        try (stores;
                server) {
            // closed in reverse order: server, then the stores
        }
    }
}
