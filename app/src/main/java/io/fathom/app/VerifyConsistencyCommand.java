package io.fathom.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.app.offline.ConsistencyCheck;
import io.fathom.offline.JoinOptions;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code fathom verify-consistency}: samples online reads from a running Fathom, waits for the offline
 * store to hold what was known then, and replays the reads through the point-in-time join
 * ({@link ConsistencyCheck}). Exit 0 when there is no mismatch.
 */
@Command(
        name = "verify-consistency",
        description =
                "Check that online reads equal the point-in-time join at the same times (expected mismatches: 0).")
public final class VerifyConsistencyCommand implements Callable<Integer> {
    @Mixin
    Console console;

    @Option(
            names = "--url",
            defaultValue = "http://localhost:8080",
            description = "The running API (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(
            names = "--view",
            defaultValue = "user_txn",
            description = "The view to check, all its features (default ${DEFAULT-VALUE}).")
    String view;

    @Option(
            names = "--ids",
            defaultValue = "0..49",
            description = "Entity ids to read: a..b or a,b,c (single-column keys; default ${DEFAULT-VALUE}).")
    String ids;

    @Option(
            names = "--rounds",
            defaultValue = "5",
            description = "Online reads of all the ids, a second apart (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--settle",
            defaultValue = "30s",
            description = "Wait this long for the offline files to cover the reads (default ${DEFAULT-VALUE}).")
    String settle;

    @Mixin
    OfflineStoreOptions store;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = console.out();
        FeatureDefinitions parsed = store.parseDefinitions();
        ViewDefinition viewDefinition =
                parsed.view(view).orElseThrow(() -> new IllegalArgumentException("--view: no view " + view));
        String keyColumn = parsed.entityOf(viewDefinition).keys().get(0);
        List<String> features = viewDefinition.features().stream()
                .map(f -> view + ":" + f.name())
                .toList();
        List<Long> entityIds = parseIds(ids);

        List<ConsistencyCheck.Sample> samples = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            samples.addAll(read(features, keyColumn, entityIds));
            Thread.sleep(1_000);
        }
        Duration wait = DurationOption.parse("--settle", settle);
        out.printf(
                "sampled %d online reads of %d entities; waiting %s for the offline store%n",
                rounds, entityIds.size(), wait);
        out.flush();
        Thread.sleep(wait.toMillis());
        ConsistencyCheck.Outcome outcome;
        Optional<ConsistencyCheck.EventTimeGap> gap;
        try (PointInTimeJoin join = new PointInTimeJoin(
                parsed, store.storeConfig(), JoinOptions.builder().build())) {
            outcome = ConsistencyCheck.compare(view, features, samples, join);
            gap = ConsistencyCheck.eventTimeGap(view, features, samples, join);
        }
        outcome.mismatches().stream().limit(20).forEach(m -> out.println("MISMATCH " + m));
        out.printf(
                "%,d values compared: %,d equal, %,d lagging (online had not applied the newest snapshot yet; max %d ms),"
                        + " %,d from another snapshot of the same millisecond (lag or mismatch: the online API has no"
                        + " created_ts), %d mismatches%n",
                outcome.values(),
                outcome.matched(),
                outcome.lagging(),
                outcome.maxLagMillis(),
                outcome.sameTimeDifferences(),
                outcome.mismatches().size());
        gap.ifPresentOrElse(
                g -> out.printf(
                        "against the event-time training set: %,d of %,d values differ (events late, out of order or"
                                + " not applied yet; largest delay %d ms)%n",
                        g.differing(), g.values(), g.maxDelayMillis()),
                () -> out.println("no event history to compare the online reads with in event time"));
        out.flush();
        return outcome.mismatches().isEmpty() ? 0 : 1;
    }

    private List<ConsistencyCheck.Sample> read(List<String> features, String keyColumn, List<Long> entityIds)
            throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("features", features, "entities", Map.of(keyColumn, entityIds));
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(url.resolve("/v1/features/online"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "online read failed: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode result = json.readTree(response.body());
        long readAt = result.get("read_at").asLong();
        List<ConsistencyCheck.Sample> samples = new ArrayList<>();
        for (JsonNode entity : result.get("results")) {
            Map<String, Object> keys = new LinkedHashMap<>();
            keys.put(keyColumn, entity.get("entity").get(keyColumn).asLong());
            samples.add(new ConsistencyCheck.Sample(
                    keys, readAt, entity.get("values"), entity.get("statuses"), entity.get("event_timestamps")));
        }
        return samples;
    }

    private static List<Long> parseIds(String text) {
        List<Long> result = new ArrayList<>();
        if (text.contains("..")) {
            String[] range = text.split("\\.\\.");
            for (long id = Long.parseLong(range[0].trim()); id <= Long.parseLong(range[1].trim()); id++) {
                result.add(id);
            }
        } else {
            for (String id : text.split(",")) {
                result.add(Long.parseLong(id.trim()));
            }
        }
        return result;
    }
}
