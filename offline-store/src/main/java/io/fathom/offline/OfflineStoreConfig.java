package io.fathom.offline;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the offline store keeps its Parquet files, and how files are committed there; start from {@link
 * #builder(Path)} (a local directory) or {@link #builder(String)} (a URI), preset with the defaults below.
 *
 * @param root a Hadoop {@code FileSystem} URI: {@code file:///var/fathom/offline} (the default kind),
 *     {@code hdfs://namenode:8020/fathom/offline}, {@code s3a://bucket/fathom/offline}; required
 * @param hadoopProperties Hadoop configuration for the file system (e.g. {@code fs.s3a.endpoint},
 *     {@code dfs.replication}); nothing else reads them. Default none
 * @param fileCommit how a finished file is made visible (see {@link FileCommit}); default {@link
 *     FileCommit#AUTO}
 * @param localTempDir local directory for files staged before upload ({@link FileCommit#UPLOAD}); default the
 *     system's temporary directory ({@code java.io.tmpdir})
 */
@RecordBuilder
public record OfflineStoreConfig(
        URI root, Map<String, String> hadoopProperties, FileCommit fileCommit, Path localTempDir) {

    /** Object stores, where a rename is a copy and a delete but a single upload appears atomically. */
    private static final Set<String> OBJECT_STORE_SCHEMES =
            Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "obs");

    /**
     * How a finished Parquet file becomes visible under its final name, so that a reader or a restarted
     * writer never sees half a file.
     */
    public enum FileCommit {
        /** {@link #UPLOAD} for object-store schemes (s3a, gs, abfs, ...), {@link #RENAME} otherwise. */
        AUTO,
        /**
         * Write to {@code <view>/_tmp/} on the store, close, then rename into place: atomic on HDFS and local
         * file systems.
         */
        RENAME,
        /**
         * Write to a local temporary file, close, then upload it under its final name: on an object store
         * the object appears only when the upload completes, and nothing is renamed (a rename there is a
         * non-atomic copy and delete).
         */
        UPLOAD
    }

    public OfflineStoreConfig {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(fileCommit, "fileCommit");
        Objects.requireNonNull(localTempDir, "localTempDir");
        hadoopProperties = Map.copyOf(Objects.requireNonNull(hadoopProperties, "hadoopProperties"));
        if (root.getScheme() == null) {
            throw new IllegalArgumentException(
                    "offline store root " + root + " has no scheme (use file:///..., hdfs://... or s3a://...)");
        }
    }

    /** A builder preset with the defaults; {@code root} is required. */
    public static OfflineStoreConfigBuilder builder() {
        return OfflineStoreConfigBuilder.builder()
                .hadoopProperties(Map.of())
                .fileCommit(FileCommit.AUTO)
                .localTempDir(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@link #builder()} with a Hadoop file-system URI as the root, e.g. {@code hdfs://namenode:8020/fathom/offline}. */
    public static OfflineStoreConfigBuilder builder(String root) {
        return builder().root(URI.create(root));
    }

    /** {@link #builder()} with a local directory as the root: its absolute {@code file:} URI. */
    public static OfflineStoreConfigBuilder builder(Path directory) {
        return builder().root(directory.toAbsolutePath().normalize().toUri());
    }

    public OfflineStoreConfigBuilder toBuilder() {
        return OfflineStoreConfigBuilder.builder(this);
    }

    /** The commit protocol in force: {@link #fileCommit()} with {@link FileCommit#AUTO} resolved by scheme. */
    public FileCommit effectiveFileCommit() {
        if (fileCommit != FileCommit.AUTO) {
            return fileCommit;
        }
        return OBJECT_STORE_SCHEMES.contains(root.getScheme().toLowerCase(Locale.ROOT))
                ? FileCommit.UPLOAD
                : FileCommit.RENAME;
    }
}
