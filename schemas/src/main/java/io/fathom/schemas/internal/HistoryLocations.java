package io.fathom.schemas.internal;

import io.fathom.schemas.yaml.Problems;
import io.fathom.schemas.yaml.Quoting;
import io.fathom.schemas.yaml.YamlPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a source's {@code history}: a Hadoop URI ({@code hdfs://namenode:8020/warehouse/transactions},
 * {@code s3a://bucket/events}, {@code file:///data/transactions}) or a local path, relative to the
 * definitions file's directory like schema paths. Only the syntax is checked here: whether the dataset
 * exists and has the columns the views need is {@code fathom validate}'s business (it can look only at
 * local ones).
 */
final class HistoryLocations {
    /** A URI scheme of two characters or more: a single letter is a Windows drive, a path. */
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:.*", Pattern.DOTALL);

    private final Problems problems;
    private final Path baseDirectory;

    HistoryLocations(Problems problems, Path baseDirectory) {
        this.problems = problems;
        this.baseDirectory = baseDirectory;
    }

    Optional<URI> read(String written, YamlPath path) {
        return SCHEME.matcher(written).matches() ? uri(written, path) : localPath(written, path);
    }

    private Optional<URI> uri(String written, YamlPath path) {
        URI uri;
        try {
            uri = new URI(written);
        } catch (URISyntaxException e) {
            problems.add(path, Quoting.quote(written) + " is not a valid URI: " + e.getMessage());
            return Optional.empty();
        }
        if (uri.isOpaque()
                || uri.getPath() == null
                || uri.getPath().isEmpty()
                || uri.getPath().equals("/")) {
            problems.add(
                    path,
                    Quoting.quote(written) + " names no dataset directory (write the URI of the dataset's directory"
                            + " or file, e.g. hdfs://namenode:8020/warehouse/transactions or file:///data/transactions)");
            return Optional.empty();
        }
        return Optional.of(uri.normalize());
    }

    private Optional<URI> localPath(String written, YamlPath path) {
        try {
            return Optional.of(
                    baseDirectory.resolve(written).toAbsolutePath().normalize().toUri());
        } catch (InvalidPathException e) {
            problems.add(path, Quoting.quote(written) + " is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }
}
