package io.fathom.app.http;

import io.fathom.app.ExamplesAccess;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.OfflineStoreConfig;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.online.OnlineFeatureReader;
import io.fathom.online.OnlineStore;
import io.fathom.online.RocksDbOnlineStore;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What an {@link HttpServer} reads in these tests: the example definitions, an empty RocksDB online store and an empty
 * offline store under a test's directory. Closing closes both stores.
 */
public final class ExampleStores implements AutoCloseable {
    public final FeatureDefinitions definitions;
    public final OnlineStore store;
    public final PointInTimeJoin join;
    private final Clock clock;

    private ExampleStores(Path dir, Clock clock) {
        this.clock = clock;
        this.definitions = DefinitionsParser.parse(ExamplesAccess.definitionsFile());
        this.store = RocksDbOnlineStore.open(dir.resolve("online"), OnlineStore.ttlByView(definitions), clock);
        this.join = new PointInTimeJoin(
                definitions,
                OfflineStoreConfig.builder(dir.resolve("offline").toUri().toString())
                        .build(),
                JoinOptions.builder().build());
    }

    public static ExampleStores open(Path dir, Clock clock) {
        return new ExampleStores(dir, clock);
    }

    public OnlineFeatureReader reader() {
        return new OnlineFeatureReader(definitions, store, clock);
    }

    @Override
    public void close() throws Exception {
        join.close();
        store.close();
    }
}
