package io.fathom.offline.internal;

import io.fathom.offline.OfflineException;
import io.fathom.offline.OfflineStoreConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * The one class that knows Hadoop's {@link FileSystem} and {@link Path}: a {@link FileStore} over any
 * Hadoop file system ({@code file}, {@code hdfs}, {@code s3a}, ...). It owns its own {@code FileSystem}
 * instance (not Hadoop's process-wide cache) and closes it. On the local file system it writes no
 * {@code .crc} side files: Parquet pages carry their own checks.
 */
public final class HadoopFileStore implements FileStore {
    private static final int BUFFER_SIZE = 256 * 1024;

    private final FileSystem fs;
    private final Path root;

    private HadoopFileStore(FileSystem fs, Path root) {
        this.fs = fs;
        this.root = root;
    }

    public static HadoopFileStore open(OfflineStoreConfig config) {
        Configuration conf = new Configuration();
        config.hadoopProperties().forEach(conf::set);
        URI root = config.root();
        try {
            FileSystem fs = FileSystem.newInstance(root, conf);
            if (fs instanceof LocalFileSystem) {
                fs.setWriteChecksum(false);
                fs.setVerifyChecksum(false);
            }
            return new HadoopFileStore(fs, fs.makeQualified(new Path(root)));
        } catch (IOException | RuntimeException e) {
            throw new OfflineException("cannot open the offline store at " + root + ": " + e.getMessage(), e);
        }
    }

    private Path path(String relative) {
        return relative.isEmpty() ? root : new Path(root, relative);
    }

    @Override
    public String describe(String path) {
        return path(path).toString();
    }

    @Override
    public OutputFile create(String relative) {
        Path path = path(relative);
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSize) throws IOException {
                return wrap(false, blockSize);
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSize) throws IOException {
                return wrap(true, blockSize);
            }

            private PositionOutputStream wrap(boolean overwrite, long blockSize) throws IOException {
                long block = blockSize > 0 ? blockSize : fs.getDefaultBlockSize(path);
                FSDataOutputStream out = fs.create(path, overwrite, BUFFER_SIZE, fs.getDefaultReplication(path), block);
                return HadoopStreams.wrap(out);
            }

            @Override
            public boolean supportsBlockSize() {
                return true;
            }

            @Override
            public long defaultBlockSize() {
                return fs.getDefaultBlockSize(path);
            }

            @Override
            public String getPath() {
                return path.toString();
            }
        };
    }

    @Override
    public InputFile open(String relative) throws IOException {
        Path path = path(relative);
        FileStatus status = fs.getFileStatus(path);
        return new InputFile() {
            @Override
            public long getLength() {
                return status.getLen();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                return HadoopStreams.wrap(fs.open(path, BUFFER_SIZE));
            }

            @Override
            public String toString() {
                return path.toString();
            }
        };
    }

    @Override
    public List<Entry> list(String directory) throws IOException {
        FileStatus[] statuses;
        try {
            statuses = fs.listStatus(path(directory));
        } catch (FileNotFoundException e) {
            return List.of();
        }
        List<Entry> entries = new ArrayList<>(statuses.length);
        for (FileStatus status : statuses) {
            entries.add(new Entry(status.getPath().getName(), status.isDirectory(), status.getLen()));
        }
        entries.sort(Comparator.comparing(Entry::name));
        return entries;
    }

    @Override
    public boolean exists(String relative) throws IOException {
        return fs.exists(path(relative));
    }

    @Override
    public void mkdirs(String directory) throws IOException {
        if (!fs.mkdirs(path(directory))) {
            throw new IOException("cannot create directory " + path(directory));
        }
    }

    @Override
    public boolean rename(String from, String to) throws IOException {
        Path source = path(from);
        Path target = path(to);
        if (fs.exists(target)) {
            return false;
        }
        if (fs.rename(source, target)) {
            return true;
        }
        if (!fs.exists(source)) {
            throw new FileNotFoundException("cannot rename " + source + ": it does not exist");
        }
        if (fs.exists(target)) {
            return false;
        }
        throw new IOException("cannot rename " + source + " to " + target);
    }

    @Override
    public boolean delete(String relative) throws IOException {
        return fs.delete(path(relative), false);
    }

    @Override
    public void upload(java.nio.file.Path local, String relative) throws IOException {
        Path target = path(relative);
        if (fs.exists(target)) {
            throw new IOException("cannot upload to " + target + ": it exists");
        }
        fs.copyFromLocalFile(false, false, new Path(local.toUri()), target);
    }

    @Override
    public void close() {
        try {
            fs.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the file system of " + root, e);
        }
    }
}
