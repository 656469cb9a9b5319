package io.fathom.app;

import io.fathom.schemas.DefinitionsParser;
import io.fathom.schemas.FeatureDefinitions;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that read the offline store (a picocli mixin): both the demo's by default. */
final class OfflineStoreOptions {
    @Option(
            names = "--definitions",
            defaultValue = "fathom-data/demo/definitions/fathom.yaml",
            description = "Feature definitions (default: the demo's).")
    Path definitions;

    @Option(
            names = "--offline",
            defaultValue = "fathom-data/demo/offline",
            description = "Offline store: a path or a Hadoop URI (file://, hdfs://, s3a://); default: the demo's.")
    String offline;

    FeatureDefinitions parseDefinitions() {
        return DefinitionsParser.parse(definitions);
    }

    /** The store's URI: {@code --offline} as given if it is a URI, else the absolute path's. */
    String storeUri() {
        return storeUri(offline);
    }

    static String storeUri(String offline) {
        return offline.contains("://")
                ? offline
                : Path.of(offline).toAbsolutePath().toUri().toString();
    }
}
