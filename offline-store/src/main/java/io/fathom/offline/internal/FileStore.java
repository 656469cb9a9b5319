package io.fathom.offline.internal;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/**
 * The offline store's view of a file system: paths are relative to the store's root, with {@code /}
 * separators ({@code user_txn/date=2026-10-01/fathom.snapshots.user_txn+0+0+99.parquet}). Parquet reads
 * and writes through its own {@link InputFile}/{@link OutputFile}, so nothing above this interface knows
 * which file system (or which library) is underneath. Implementations are thread-safe.
 */
public interface FileStore extends Closeable {

    /** One entry of a directory listing. */
    record Entry(String name, boolean directory, long length) {}

    /** A description of a path for messages, e.g. its full URI. */
    String describe(String path);

    /** A new file; creating it fails if it exists. */
    OutputFile create(String path);

    /** An existing file. */
    InputFile open(String path) throws IOException;

    /** The direct children of a directory, sorted by name; empty when the directory does not exist. */
    List<Entry> list(String directory) throws IOException;

    boolean exists(String path) throws IOException;

    void mkdirs(String directory) throws IOException;

    /**
     * Renames a file into a directory that exists.
     *
     * @return false when the target exists (nothing was renamed)
     * @throws FileNotFoundException when the source does not exist
     */
    boolean rename(String from, String to) throws IOException;

    /** Deletes a file or an empty directory; false when it did not exist. */
    boolean delete(String path) throws IOException;

    /** Closes the file system; throws {@link java.io.UncheckedIOException} on failure. */
    @Override
    void close();

    /** Uploads a local file under {@code path} (which must not exist), creating parent directories. */
    void upload(java.nio.file.Path local, String path) throws IOException;
}
