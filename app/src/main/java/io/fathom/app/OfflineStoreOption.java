package io.fathom.app;

import io.fathom.offline.OfflineStoreConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --offline} (a picocli mixin): the offline store a command reads, the demo's by default. */
final class OfflineStoreOption {
    @Option(
            names = "--offline",
            defaultValue = "fathom-data/demo/offline",
            description = "Offline store: a path or a Hadoop URI (file://, hdfs://, s3a://); default: the demo's.")
    String offline;

    OfflineStoreConfig config() {
        return OfflineStoreConfig.builder(storeUri(offline)).build();
    }

    /** The store's URI: {@code offline} as given if it is a URI, else the absolute path's. */
    static String storeUri(String offline) {
        return offline.contains("://")
                ? offline
                : Path.of(offline).toAbsolutePath().toUri().toString();
    }
}
