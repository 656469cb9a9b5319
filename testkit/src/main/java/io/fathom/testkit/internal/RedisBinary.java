package io.fathom.testkit.internal;

import io.fathom.testkit.TestkitException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds a {@code redis-server} executable: the one on the {@code PATH} if there is one, otherwise the
 * statically linked Redis 7.0.15 that {@code org.signal:embedded-redis} ships as a class-path resource,
 * copied to a temporary file and made executable.
 */
public final class RedisBinary {
    private static final String EXECUTABLE = "redis-server";
    private static final String RESOURCE_PREFIX = "/redis-server-7.0.15-";

    private RedisBinary() {}

    /** The executable to run: {@code redis-server} from the {@code PATH}, or the shipped binary extracted to {@code dir}. */
    public static Path locate(Path dir) {
        return onPath(System::getenv).orElseGet(() -> extract(dir));
    }

    /** {@code redis-server} from the {@code PATH} of the given environment, if any directory holds an executable one. */
    static Optional<Path> onPath(UnaryOperator<String> environment) {
        String path = environment.apply("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, EXECUTABLE);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The shipped binary for this OS and architecture, copied into {@code dir}. */
    static Path extract(Path dir) {
        String resource = RESOURCE_PREFIX + platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        try (InputStream in = RedisBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TestkitException("no redis-server on the PATH and no " + resource
                        + " on the class path (is org.signal:embedded-redis there?)");
            }
            Path target = dir.resolve(EXECUTABLE);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            if (!target.toFile().setExecutable(true, true)) {
                throw new TestkitException("cannot make " + target + " executable");
            }
            return target;
        } catch (IOException e) {
            throw new TestkitException("cannot extract " + resource + " to " + dir, e);
        }
    }

    /** The suffix of the shipped binary's name, e.g. {@code linux-amd64}. */
    static String platform(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String osPart;
        if (os.contains("linux")) {
            osPart = "linux";
        } else if (os.contains("mac") || os.contains("darwin")) {
            osPart = "darwin";
        } else {
            throw new TestkitException(
                    "embedded-redis ships no redis-server for " + osName + "; put a redis-server on the PATH");
        }
        String archPart =
                switch (arch) {
                    case "amd64", "x86_64" -> "amd64";
                    case "aarch64", "arm64" -> "arm64";
                    case "x86", "i386", "i686" -> "386";
                    default -> throw new TestkitException("embedded-redis ships no redis-server for " + osName + "/"
                            + osArch + "; put a redis-server on the PATH");
                };
        return osPart + "-" + archPart;
    }
}
