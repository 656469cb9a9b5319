package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.schemas.Examples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `fathom demo`, started in this JVM, serves online features over HTTP, watches drift and bias (the
 * generator drifts after 45 s, so alerts fire), shows it all on its page in a real headless browser,
 * and stops cleanly.
 */
class DemoIT {
    private static final Pattern API = Pattern.compile("API on http://localhost:(\\d+)");
    private static final Pattern KAFKA = Pattern.compile("Kafka at ([^,\\s]+)");
    private static final Path SCREENSHOT = Path.of("target", "page-screenshot.png");

    @TempDir
    Path dataDir;

    @TempDir
    Path browserDir;

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
                "--drift-after", "45s",
                "--drift-for", "5m",
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
        assertThat(reports.get("drift").get(0).get("histogram").get("current_counts"))
                .isNotEmpty();

        // the drifted world breaches two windows in a row: a drift alert and bias alerts fire
        HttpRequest alerts = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/alerts"))
                .build();
        String firing = await().atMost(Duration.ofSeconds(120))
                .until(
                        () -> client.send(alerts, HttpResponse.BodyHandlers.ofString())
                                .body(),
                        body -> body.contains("\"FeatureDrift\"") && body.contains("\"ModelBias\""));
        assertThat(firing).startsWith("{\"alerts\":");

        // three events that are not Avro: dead-lettered as undecodable
        sendGarbage(kafka(output.toString()), "transactions", 3);
        HttpRequest status = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/status"))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> new ObjectMapper()
                                .readTree(client.send(status, HttpResponse.BodyHandlers.ofString())
                                        .body()),
                        s -> s.get("dead_letters").path("undecodable").asLong() >= 3);

        thePageShowsEverySectionWithData(URI.create("http://localhost:" + port + "/"));

        // baselines can be published over HTTP too: validated, then on the compacted topic
        String baselineJson = io.fathom.monitor.drift.Baseline.builder(
                        "txn_latest", "DemoIT", java.time.Clock.systemUTC())
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
        assertThat(verifyOutput.toString())
                .as("the gap to the event-time training set is reported")
                .containsPattern("against the event-time training set: [0-9,]+ of 420 values differ");

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

    /** Drives chromium: the DOM the page's script built, then a screenshot kept in app/target. */
    private void thePageShowsEverySectionWithData(URI page) {
        HeadlessChromium chromium = new HeadlessChromium(browserDir, Duration.ofSeconds(90));
        long started = System.nanoTime();
        String dom = chromium.dumpDom(page, Duration.ofSeconds(5));
        System.out.printf("demo: the page rendered in chromium in %.1f s%n", (System.nanoTime() - started) / 1e9);

        assertThat(dom).as("the script ran and refreshed").containsPattern("id=\"updated\" class=\"meta\">updated ");
        // views: user_txn with its freshness and event rate
        Matcher view = Pattern.compile("<tr data-view=\"user_txn\"><td>user_txn</td><td>transactions</td>"
                        + "<td class=\"num freshness\">([0-9.]+) (s|min)</td><td class=\"num rate\">([0-9.]+)</td>")
                .matcher(dom);
        assertThat(view.find()).as(dom).isTrue();
        assertThat(Double.parseDouble(view.group(3))).as("events/s").isPositive();
        // dead letters by reason, with the three sent above
        Matcher undecodable = Pattern.compile(
                        "<tr data-reason=\"undecodable\"><td>undecodable</td>" + "<td class=\"num\">(\\d+)</td>")
                .matcher(dom);
        assertThat(undecodable.find()).as(dom).isTrue();
        assertThat(Integer.parseInt(undecodable.group(1))).isGreaterThanOrEqualTo(3);
        assertThat(dom).contains("<tr data-reason=\"late\" class=\"zero\">");
        // drift: the drifting feature's verdict beside its histogram, drawn as `fathom drift report` draws it
        String amount =
                element(dom, "<article class=\"card DRIFT\" data-feature=\"txn_latest/amount_last\">", "</article>");
        assertThat(amount)
                .contains("<span class=\"verdict DRIFT\">DRIFT</span>")
                .containsPattern("<svg [^>]*class=\"chart\"")
                .contains("share of non-null values")
                .containsPattern("<rect [^>]*fill=\"#5b7fa6\"")
                .containsPattern("<rect [^>]*fill=\"#e07b39\"")
                .containsPattern("reference \\(n = [0-9,]+\\)");
        assertThat(dom)
                .contains("data-feature=\"txn_latest/country_last\"", "data-feature=\"txn_latest/merchant_last\"");
        // bias per group
        String gender = element(dom, "data-bias=\"fraud_v3/gender\"", "</article>");
        assertThat(gender).contains("disparate impact ratio").containsPattern("<tr data-group=\"[^\"]+\"");
        assertThat(Pattern.compile("<tr data-group=").matcher(gender).results().count())
                .as("groups")
                .isGreaterThanOrEqualTo(2);
        assertThat(gender).containsPattern("<td class=\"num selection-rate\">0?\\.[0-9]+</td>");
        // alerts firing now
        String alerts = element(dom, "<section id=\"alerts\"", "</section>");
        assertThat(alerts)
                .contains("<span class=\"verdict firing\">firing</span>")
                .contains("FeatureDrift")
                .contains("txn_latest / amount_last (psi)")
                .contains("ModelBias");

        chromium.screenshot(page, Duration.ofSeconds(5), SCREENSHOT, 1280, 2000);
        System.out.println("demo: the page's screenshot is " + SCREENSHOT.toAbsolutePath());
    }

    /** The text from {@code start} to the first {@code end} after it. */
    private static String element(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertThat(from).as("%s in the page's DOM:%n%s", start, dom).isNotNegative();
        int to = dom.indexOf(end, from);
        return dom.substring(from, to < 0 ? dom.length() : to);
    }

    private static void sendGarbage(String bootstrapServers, String topic, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        1),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("not avro " + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static String kafka(String output) {
        Matcher m = KAFKA.matcher(output);
        assertThat(m.find()).as("the demo prints its broker: %s", output).isTrue();
        return m.group(1);
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
