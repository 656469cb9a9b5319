package io.fathom.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The Fathom metric names the shipped Grafana dashboards query. */
final class DashboardMetrics {
    private static final Pattern METRIC = Pattern.compile("\\bfathom_[a-z0-9_]+");

    private DashboardMetrics() {}

    static Set<String> referencedIn(Path dashboards) {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(dashboards)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                Matcher m = METRIC.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboards in " + dashboards, e);
        }
        return names;
    }
}
