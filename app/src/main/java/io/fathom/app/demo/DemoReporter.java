package io.fathom.app.demo;

import io.fathom.app.node.FathomNode;
import io.fathom.online.OnlineResult;
import io.fathom.online.OnlineWriter;
import io.fathom.online.StoreUnavailableException;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The demo's console: throughput, freshness, and a live online read with the curl that does the same. */
public final class DemoReporter {
    private final PrintWriter out;
    private final FathomNode node;
    private final MeterRegistry registry;
    private final ViewDefinition view;
    private final String keyColumn;
    private final int httpPort;
    private final Clock clock;
    private final long startedNanos;
    private double lastEvents;
    private long lastNanos;
    private boolean curlShown;

    public DemoReporter(
            PrintWriter out,
            FathomNode node,
            MeterRegistry registry,
            FeatureDefinitions definitions,
            Clock clock,
            long startedNanos) {
        this.out = out;
        this.node = node;
        this.registry = registry;
        this.view = definitions.views().get(0);
        this.keyColumn = definitions.entityOf(view).keys().get(0);
        this.httpPort = node.httpPort().orElseThrow();
        this.clock = clock;
        this.startedNanos = startedNanos;
        this.lastNanos = startedNanos;
    }

    public void report() {
        long now = System.nanoTime();
        double events = registry.find("fathom.ingest.events").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double rate = (events - lastEvents) / ((now - lastNanos) / 1e9);
        lastEvents = events;
        lastNanos = now;
        double dead = registry.find("fathom.dlq").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        OnlineWriter.Freshness freshness =
                node.writer().map(w -> w.freshness().get(view.name())).orElse(null);
        out.printf(
                "[%4.0fs] events in: %,.0f (%,.0f/s), dead-lettered: %,.0f, %s freshness: %s%n",
                (now - startedNanos) / 1e9,
                events,
                rate,
                dead,
                view.name(),
                freshness == null ? "-" : String.format("%.2f s", (clock.millis() - freshness.lastEventTs()) / 1000.0));
        exampleRead();
        out.flush();
    }

    private void exampleRead() {
        List<String> features = new ArrayList<>();
        view.features().forEach(f -> features.add(view.name() + ":" + f.name()));
        StringBuilder line =
                new StringBuilder("        online read ").append(keyColumn).append("=1:");
        OnlineResult result;
        try {
            result = node.reader().read(features, Map.of(keyColumn, List.of(1L)));
        } catch (StoreUnavailableException e) {
            // Redis down or not up yet: the node waits for it, and so does the console
            out.println(line.append(" the online store cannot answer now (")
                    .append(e.getMessage())
                    .append(')'));
            return;
        }
        for (int i = 0; i < features.size(); i++) {
            var value = result.value(0, features.get(i));
            line.append(' ').append(view.features().get(i).name()).append('=').append(format(value.value()));
            if (i == 0) {
                line.append(" (").append(value.status()).append(')');
            }
        }
        out.println(line);
        if (!curlShown) {
            curlShown = true;
            out.printf(
                    "        try: curl -s localhost:%d/v1/features/online -H 'content-type: application/json'%s "
                            + "-d '{\"features\": [\"%s\"], \"entities\": {\"%s\": [1, 2, 3]}}'%n",
                    httpPort,
                    node.tokensRequired() ? " -H \"Authorization: Bearer $FATHOM_TOKEN\"" : "",
                    String.join("\", \"", features.subList(0, Math.min(3, features.size()))),
                    keyColumn);
        }
    }

    private static String format(Object value) {
        return value instanceof Double d ? String.format("%.2f", d) : String.valueOf(value);
    }
}
