package io.fathom.offline;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the offline store keeps its Parquet files, and how files are committed there.
 *
 * @param root a Hadoop {@code FileSystem} URI: {@code file:///var/fathom/offline} (the default kind),
 *     {@code hdfs://namenode:8020/fathom/offline}, {@code s3a://bucket/fathom/offline}
 * @param hadoopProperties Hadoop configuration for the file system (e.g. {@code fs.s3a.endpoint},
 *     {@code dfs.replication}); nothing else reads them
 * @param fileCommit how a finished file is made visible (see {@link FileCommit})
 * @param localTempDir local directory for files staged before upload ({@link FileCommit#UPLOAD})
 */
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
        hadoopProperties = Map.copyOf(hadoopProperties);
        if (root.getScheme() == null) {
            throw new IllegalArgumentException(
                    "offline store root " + root + " has no scheme (use file:///..., hdfs://... or s3a://...)");
        }
    }

    /** A store at a Hadoop file-system URI, e.g. {@code hdfs://namenode:8020/fathom/offline}. */
    public static OfflineStoreConfig of(String root) {
        return new OfflineStoreConfig(
                URI.create(root), Map.of(), FileCommit.AUTO, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A store in a local directory. */
    public static OfflineStoreConfig local(Path directory) {
        return of(directory.toAbsolutePath().normalize().toUri().toString());
    }

    public OfflineStoreConfig withHadoopProperties(Map<String, String> properties) {
        return new OfflineStoreConfig(root, properties, fileCommit, localTempDir);
    }

    public OfflineStoreConfig withFileCommit(FileCommit commit) {
        return new OfflineStoreConfig(root, hadoopProperties, commit, localTempDir);
    }

    public OfflineStoreConfig withLocalTempDir(Path directory) {
        return new OfflineStoreConfig(root, hadoopProperties, fileCommit, directory);
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
