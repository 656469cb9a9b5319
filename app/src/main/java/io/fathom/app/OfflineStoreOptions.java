package io.fathom.app;

import io.fathom.offline.OfflineStoreConfig;
import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the commands that read the offline store (a picocli mixin): both the demo's by default. */
final class OfflineStoreOptions {
    @Option(
            names = "--definitions",
            defaultValue = "fathom-data/demo/definitions/fathom.yaml",
            description = "Feature definitions (default: the demo's).")
    Path definitions;

    @Mixin
    OfflineStoreOption store;

    FeatureDefinitions parseDefinitions() {
        return DefinitionsParser.parse(definitions);
    }

    OfflineStoreConfig storeConfig() {
        return store.config();
    }
}
