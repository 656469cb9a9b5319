package io.fathom.offline;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where the offline store keeps its Parquet files, and how files are committed there; start from {@link
 * #builder()}, whose fields hold the defaults.
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
        hadoopProperties = Map.copyOf(Objects.requireNonNull(hadoopProperties, "hadoopProperties"));
        if (root.getScheme() == null) {
            throw new IllegalArgumentException(
                    "offline store root " + root + " has no scheme (use file:///..., hdfs://... or s3a://...)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .root(root)
                .hadoopProperties(hadoopProperties)
                .fileCommit(fileCommit)
                .localTempDir(localTempDir);
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

    /** {@link OfflineStoreConfig}'s fields with their defaults; {@link #build()} validates them. */
    public static final class Builder {
        /** Required. */
        private URI root;
        /** Default none. */
        private Map<String, String> hadoopProperties = Map.of();
        /** Default {@link FileCommit#AUTO}. */
        private FileCommit fileCommit = FileCommit.AUTO;
        /** Default the system's temporary directory ({@code java.io.tmpdir}). */
        private Path localTempDir = Path.of(System.getProperty("java.io.tmpdir"));

        private Builder() {}

        public Builder root(URI uri) {
            this.root = uri;
            return this;
        }

        /** A Hadoop file-system URI, e.g. {@code hdfs://namenode:8020/fathom/offline}. */
        public Builder root(String uri) {
            return root(URI.create(uri));
        }

        /** A local directory: its absolute {@code file:} URI. */
        public Builder directory(Path dir) {
            return root(dir.toAbsolutePath().normalize().toUri());
        }

        public Builder hadoopProperties(Map<String, String> properties) {
            this.hadoopProperties = properties;
            return this;
        }

        public Builder fileCommit(FileCommit commit) {
            this.fileCommit = commit;
            return this;
        }

        public Builder localTempDir(Path dir) {
            this.localTempDir = dir;
            return this;
        }

        public OfflineStoreConfig build() {
            return new OfflineStoreConfig(root, hadoopProperties, fileCommit, localTempDir);
        }
    }
}
