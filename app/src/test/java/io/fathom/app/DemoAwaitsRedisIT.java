package io.fathom.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.testkit.RedisServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fathom demo --online redis://...} started before its Redis: the console says the online store cannot
 * answer and the demo goes on (it stopped with a stack trace), then serves features once Redis is up.
 */
class DemoAwaitsRedisIT {
    private static final Pattern API = Pattern.compile("API on http://localhost:(\\d+)");

    @TempDir
    Path dataDir;

    @Test
    void theDemoWaitsForARedisStartedAfterIt() throws Exception {
        try (RedisServer redis = RedisServer.onFreePort()) {
            DemoCommand demo = new DemoCommand();
            CommandLine command = new CommandLine(demo);
            StringWriter output = new StringWriter();
            command.setOut(new PrintWriter(output, true));
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> command.execute(
                    "--port", "0",
                    "--duration", "5m",
                    "--users", "20",
                    "--rate", "200",
                    "--online", "redis://127.0.0.1:" + redis.port(),
                    "--data-dir", dataDir.toString()));

            await("the console's online read says Redis cannot answer")
                    .atMost(Duration.ofSeconds(60))
                    .until(() ->
                            output.toString().contains("online read user_id=1: the online store cannot answer now"));
            assertThat(exit).as(output.toString()).isNotDone();

            redis.start();
            Matcher port = API.matcher(output.toString());
            assertThat(port.find()).as(output.toString()).isTrue();
            HttpRequest read = HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port.group(1) + "/v1/features/online"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"features\": [\"user_txn:txn_count_1h\"], \"entities\": {\"user_id\": [1]}}"))
                    .build();
            HttpClient client = HttpClient.newHttpClient();
            await("a feature served once Redis is up")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> firstStatus(client.send(read, HttpResponse.BodyHandlers.ofString())),
                            "PRESENT"::equals);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> output.toString().contains("online read user_id=1: txn_count_1h="));

            demo.stop();
            assertThat(exit.get()).as(output.toString()).isZero();
        }
    }

    private static String firstStatus(HttpResponse<String> response) throws Exception {
        return response.statusCode() == 200
                ? new ObjectMapper()
                        .readTree(response.body())
                        .at("/results/0/statuses/0")
                        .asText()
                : "HTTP " + response.statusCode();
    }
}
