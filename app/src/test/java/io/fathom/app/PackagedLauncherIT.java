package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The product as a user runs it: the packaged {@code ./fathom} launcher (app/target jar + lib/, its own
 * JVM, none of the test class path) starts the demo, which serves online features and the page; the
 * training-set command it prints writes its rows; the demo exits 0 at the end of its duration; and its
 * console carries only Fathom's own lines. Runs after {@code package}, so it tests the jar CI built.
 */
class PackagedLauncherIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("fathom");
    private static final Path WORK = Path.of("target", "launcher-smoke").toAbsolutePath();
    private static final Pattern TRAINING_SET = Pattern.compile("\\./fathom (training-set .*)$", Pattern.MULTILINE);
    /** What the demo's console may hold: its own lines, report lines, indented detail lines, Fathom's warnings. */
    private static final Pattern OWN_LINE = Pattern.compile("^(fathom( demo)?: .*|\\[\\s*\\d+s] .*|\\s+.*|)$");

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private Process demo;

    @BeforeEach
    void freshDirectory() throws IOException {
        DataDirs.wipe(WORK);
    }

    @AfterEach
    void stopDemo() {
        if (demo != null && demo.isAlive()) {
            demo.descendants().forEach(ProcessHandle::destroyForcibly);
            demo.destroyForcibly();
        }
    }

    @Test
    void theLauncherRunsTheDemoWhichServesFeaturesThePageAndATrainingSetAndExitsZero() throws Exception {
        assertThat(ROOT.resolve("app/target/lib"))
                .as("run `./mvnw package` first")
                .isDirectory();
        int port = freePort();
        Path stdout = WORK.resolve("demo.out");
        Path stderr = WORK.resolve("demo.err");
        demo = launcher(
                        "demo",
                        "--duration",
                        "100s",
                        "--port",
                        Integer.toString(port),
                        "--users",
                        "50",
                        "--rate",
                        "300",
                        "--baseline-after",
                        "30s",
                        "--monitor-window",
                        "10s",
                        "--data-dir",
                        WORK.resolve("data").toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();

        await("the demo's API").atMost(Duration.ofSeconds(90)).until(() -> read(stdout)
                .contains("API on http://localhost:" + port));
        assertThat(read(stderr))
                .as("the launcher must not build inside the test")
                .doesNotContain("building app");

        JsonNode served = await("a PRESENT online value")
                .atMost(Duration.ofSeconds(60))
                .until(
                        () -> onlineRead(port),
                        r -> r.get("statuses").get(0).asText().equals("PRESENT"));
        assertThat(served.get("values").get(0).asLong()).isPositive();

        HttpResponse<String> page = http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<html").contains("Fathom");

        String printed = await("the training-set command the demo prints")
                .atMost(Duration.ofSeconds(120))
                .until(() -> TRAINING_SET.matcher(read(stdout)), Matcher::find)
                .group(1);
        Path csv = WORK.resolve("training-set.csv");
        List<String> args = new ArrayList<>(Arrays.asList(printed.trim().split("\\s+")));
        args.set(args.indexOf("--out") + 1, csv.toString());
        Process trainingSet =
                launcher(args.toArray(String[]::new)).redirectErrorStream(true).start();
        String trainingOutput = new String(trainingSet.getInputStream().readAllBytes());
        assertThat(trainingSet.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(trainingSet.exitValue()).as(trainingOutput).isZero();
        assertThat(trainingOutput).contains("wrote " + csv).contains("200 rows");
        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).startsWith("user_id,event_timestamp,user_txn__txn_count_1h");
        assertThat(rows).hasSize(201);
        long withCounts = rows.stream()
                .skip(1)
                .filter(row -> row.split(",", -1)[2].matches("[1-9][0-9]*"))
                .count();
        assertThat(withCounts).as("rows with a positive 1h count").isGreaterThan(100);

        args.set(args.indexOf("--offline") + 1, WORK.resolve("no-such-store").toString());
        Process wrongStore =
                launcher(args.toArray(String[]::new)).redirectErrorStream(true).start();
        String wrongOutput = new String(wrongStore.getInputStream().readAllBytes());
        assertThat(wrongStore.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(wrongStore.exitValue()).isEqualTo(1);
        assertThat(wrongOutput).contains("no-such-store").contains("does not exist");

        assertThat(demo.waitFor(120, TimeUnit.SECONDS))
                .as("the demo ends after --duration")
                .isTrue();
        assertThat(demo.exitValue()).as(read(stderr)).isZero();
        assertThat(read(stdout)).contains("fathom demo: stopping");
        List<String> console = new ArrayList<>(Files.readAllLines(stdout));
        console.addAll(Files.readAllLines(stderr));
        assertThat(console)
                .as("the console holds only Fathom's own lines (libraries log to fathom.log)")
                .allMatch(line -> OWN_LINE.matcher(line).matches());
        assertThat(WORK.resolve("data/fathom.log")).isNotEmptyFile();
        try (Stream<Path> history = Files.walk(WORK.resolve("data/offline/_events/transactions"))) {
            assertThat(history.filter(p -> p.getFileName().toString().endsWith(".parquet")))
                    .as("the event history the demo's offline writer archives")
                    .isNotEmpty();
        }
    }

    private ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile());
        builder.environment().put("FATHOM_JAVA_OPTS", "-Xmx1g");
        return builder;
    }

    private JsonNode onlineRead(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/features/online"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}"))
                .build();
        return json.readTree(
                        http.send(request, HttpResponse.BodyHandlers.ofString()).body())
                .get("results")
                .get(0);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
