package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `fathom demo`, started in this JVM, serves online features over HTTP and stops cleanly. */
class DemoIT {
    private static final Pattern API = Pattern.compile("API on http://localhost:(\\d+)");

    @TempDir
    Path dataDir;

    @Test
    void theDemoServesOnlineFeaturesAndStopsCleanly() throws Exception {
        DemoCommand demo = new DemoCommand();
        CommandLine command = new CommandLine(demo);
        StringWriter output = new StringWriter();
        command.setOut(new PrintWriter(output, true));
        long started = System.nanoTime();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
                "--port", "0",
                "--duration", "5m",
                "--users", "20",
                "--rate", "400",
                "--baseline-after", "35s",
                "--monitor-window", "10s",
                "--data-dir", dataDir.toString()));

        int port = await().atMost(Duration.ofSeconds(60)).until(() -> port(output.toString()), p -> p > 0);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest read = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/features/online"))
                .header("content-type", "application/json")
                .POST(
                        HttpRequest.BodyPublishers.ofString(
                                "{\"features\": [\"user_txn:txn_count_1h\", \"user_txn:last_country\"], \"entities\": {\"user_id\": [1]}}"))
                .build();
        JsonNode served = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> new ObjectMapper()
                                .readTree(client.send(read, HttpResponse.BodyHandlers.ofString())
                                        .body())
                                .get("results")
                                .get(0),
                        r -> r.get("statuses").get(0).asText().equals("PRESENT"));
        System.out.printf("demo: first feature served %.1f s after start%n", (System.nanoTime() - started) / 1e9);

        assertThat(served.get("values").get(0).asLong()).isPositive();
        assertThat(served.get("values").get(1).asText()).isIn("FR", "DE", "NL", "US", "GB", "ES");
        await().atMost(Duration.ofSeconds(30)).until(() -> output.toString().contains("online read user_id=1"));

        // the baseline comes from a training set of the first period; then windows close and report
        await().atMost(Duration.ofSeconds(120)).until(() -> output.toString().contains("baseline of txn_latest"));
        HttpRequest drift = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/drift"))
                .build();
        JsonNode reports = await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> new ObjectMapper()
                                .readTree(client.send(drift, HttpResponse.BodyHandlers.ofString())
                                        .body()),
                        r -> r.get("drift").size() > 0 && r.get("bias").size() > 0);
        assertThat(reports.get("drift").get(0).get("view").asText()).isEqualTo("txn_latest");
        String alerts = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/alerts"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(alerts).startsWith("{\"alerts\":");

        // baselines can be published over HTTP too: validated, then on the compacted topic
        String baselineJson = io.fathom.monitor.Baseline.builder("txn_latest", "DemoIT", java.time.Clock.systemUTC())
                .numeric("amount_last", List.of(1.0, 2.0, 3.0, 4.0))
                .build()
                .toJson();
        assertThat(postJson(client, port, "/v1/baselines", baselineJson).statusCode())
                .isEqualTo(202);
        assertThat(postJson(client, port, "/v1/baselines", baselineJson.replace("txn_latest", "nope"))
                        .statusCode())
                .isEqualTo(404);
        HttpResponse<String> malformed = postJson(client, port, "/v1/baselines", "{\"version\": 1}");
        assertThat(malformed.statusCode()).isEqualTo(400);

        // the printed training-set command, run as a user would, gives the rows the HTTP endpoint gives
        Path entities = dataDir.resolve("entities.csv");
        Path trainingSet = dataDir.resolve("training-set.csv");
        String features = "user_txn:txn_count_1h,user_txn:amount_sum_1h,user_txn:last_country";
        int exitCode = new CommandLine(new TrainingSetCommand())
                .execute(
                        "--entities", entities.toString(),
                        "--features", features,
                        "--out", trainingSet.toString(),
                        "--definitions",
                                dataDir.resolve("definitions/fathom.yaml").toString(),
                        "--offline", dataDir.resolve("offline").toString());
        assertThat(exitCode).isZero();
        List<String> csvRows = Files.readAllLines(trainingSet);
        List<String> entityLines = Files.readAllLines(entities)
                .subList(1, Files.readAllLines(entities).size());
        assertThat(csvRows).hasSize(entityLines.size() + 1);
        StringBuilder users = new StringBuilder();
        StringBuilder times = new StringBuilder();
        for (String line : entityLines) {
            String[] cells = line.split(",");
            users.append(users.length() == 0 ? "" : ",").append(cells[0]);
            times.append(times.length() == 0 ? "" : ",")
                    .append('"')
                    .append(cells[1])
                    .append('"');
        }
        String historical = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/features/historical"))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"features\": [\""
                                        + features.replace(",", "\", \"") + "\"], \"entities\": {\"user_id\": ["
                                        + users + "], \"event_timestamp\": [" + times + "]}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        JsonNode rows = new ObjectMapper().readTree(historical).get("rows");
        assertThat(rows).as(historical).hasSize(entityLines.size());
        int present = 0;
        for (int i = 0; i < entityLines.size(); i++) {
            String[] csv = csvRows.get(i + 1).split(",", -1);
            JsonNode json = rows.get(i);
            for (int c = 2; c < 5; c++) {
                String fromJson = json.get(c).isNull() ? "" : json.get(c).asText();
                assertThat(csv[c]).as("row %d column %d", i, c).isEqualTo(fromJson);
            }
            present += json.get(2).isNull() ? 0 : 1;
        }
        assertThat(present).as("rows with a snapshot").isPositive();

        // online reads replayed through the join at the same times: no mismatch
        StringWriter verifyOutput = new StringWriter();
        CommandLine verify = new CommandLine(new VerifyConsistencyCommand());
        verify.setOut(new PrintWriter(verifyOutput, true));
        int verified = verify.execute(
                "--url", "http://localhost:" + port,
                "--view", "user_txn",
                "--ids", "0..19",
                "--rounds", "3",
                "--settle", "25s",
                "--definitions", dataDir.resolve("definitions/fathom.yaml").toString(),
                "--offline", dataDir.resolve("offline").toString());
        System.out.print(verifyOutput);
        assertThat(verified).as(verifyOutput.toString()).isZero();
        assertThat(verifyOutput.toString()).contains(" 0 mismatches");

        String metrics = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertThat(DashboardMetrics.referencedIn(Examples.directory().resolve("../../deploy/grafana/dashboards")))
                .as("every metric a shipped Grafana dashboard queries is exposed by the running app")
                .isNotEmpty()
                .allSatisfy(name -> assertThat(metrics).contains(name));
        demo.stop();
        assertThat(exit.get()).isZero();
        assertThat(output.toString()).contains("events in:").contains("fathom demo: stopping");
    }

    private static HttpResponse<String> postJson(HttpClient client, int port, String path, String body)
            throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int port(String output) {
        Matcher m = API.matcher(output);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
