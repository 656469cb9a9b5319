package io.fathom.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-benchmark} (from the {@code PATH}, e.g. Debian's {@code redis-tools}) with a fixed command
 * and reads its {@code --csv} line: {@code "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",
 * "p95_latency_ms","p99_latency_ms","max_latency_ms"}. With {@code -P n} the latencies are those of a
 * pipelined batch of n commands.
 */
final class RedisBenchmarkTool {
    /** Its figures for one run: commands per second and latency percentiles in milliseconds. */
    record Result(double commandsPerSecond, double p50, double p99, double max) {}

    private final Path executable;

    private RedisBenchmarkTool(Path executable) {
        this.executable = executable;
    }

    /** The tool if {@code redis-benchmark} is on the PATH. */
    static Optional<RedisBenchmarkTool> locate() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-benchmark");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new RedisBenchmarkTool(candidate));
            }
        }
        return Optional.empty();
    }

    Path executable() {
        return executable;
    }

    /** {@code redis-benchmark -p port -n requests -c clients -P pipeline --csv <command...>}. */
    Result run(int port, int requests, int clients, int pipeline, List<String> command)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                executable.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-n",
                Integer.toString(requests),
                "-c",
                Integer.toString(clients),
                "-P",
                Integer.toString(pipeline),
                "--csv"));
        args.addAll(command);
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException("redis-benchmark failed: " + String.join("\n", lines));
        }
        for (String line : lines) {
            if (line.startsWith("\"test\"") || !line.startsWith("\"")) {
                continue;
            }
            // The test name is the whole command; the seven figures are the last seven fields.
            String[] fields = line.split("\",\"");
            int n = fields.length;
            if (n >= 8) {
                return new Result(
                        number(fields[n - 7]), number(fields[n - 4]), number(fields[n - 2]), number(fields[n - 1]));
            }
        }
        throw new IOException("no CSV result in redis-benchmark's output: " + String.join("\n", lines));
    }

    private static double number(String field) {
        return Double.parseDouble(field.replace("\"", "").trim());
    }
}
