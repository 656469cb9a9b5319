package io.fathom.app.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fathom.online.OnlineWriter;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@code GET /v1/status} answers, read from this process's meters and online writer: per view
 * its freshness and the rates of its source's events and of its snapshots (over about the last
 * minute, {@link TrailingRates}), and the dead letters by reason (ingest's and the monitor's, summed
 * over sources).
 */
final class NodeStatus {
    static final Duration RATE_WINDOW = Duration.ofMinutes(1);

    private final FeatureDefinitions definitions;
    private final MeterRegistry registry;
    private final Supplier<Map<String, OnlineWriter.Freshness>> freshness;
    private final Clock clock;
    private final TrailingRates eventRates;
    private final TrailingRates snapshotRates;

    /**
     * @param freshness the online writer's freshness per view; empty without a writer in this process
     */
    NodeStatus(
            FeatureDefinitions definitions,
            MeterRegistry registry,
            Supplier<Map<String, OnlineWriter.Freshness>> freshness,
            Clock clock) {
        this.definitions = definitions;
        this.registry = registry;
        this.freshness = freshness;
        this.clock = clock;
        this.eventRates = new TrailingRates(clock, RATE_WINDOW, counts("fathom.ingest.events", "source"));
        this.snapshotRates = new TrailingRates(clock, RATE_WINDOW, counts("fathom.snapshots", "view"));
    }

    /**
     * @param at when this was read (epoch millis)
     * @param views one entry per defined view, in definition order
     * @param deadLetters dead letters by reason, sorted by reason
     */
    record Status(
            long at,
            List<ViewStatus> views,
            @JsonProperty("dead_letters") Map<String, Long> deadLetters,
            @JsonProperty("dead_letters_total") long deadLettersTotal) {}

    /**
     * @param lastEventTs the event time of the newest snapshot applied to the online store; null before the
     *     first (or without an online writer in this process)
     * @param freshnessSeconds the age of that snapshot: now minus its event time (the metric
     *     {@code fathom_freshness_seconds})
     * @param eventsPerSecond the rate of events read from the view's source (shared by the views of one source)
     */
    record ViewStatus(
            String name,
            String source,
            @JsonProperty("last_event_ts") Long lastEventTs,
            @JsonProperty("freshness_seconds") Double freshnessSeconds,
            @JsonProperty("events_total") long eventsTotal,
            @JsonProperty("events_per_second") Double eventsPerSecond,
            @JsonProperty("snapshots_total") long snapshotsTotal,
            @JsonProperty("snapshots_per_second") Double snapshotsPerSecond) {}

    Status status() {
        long now = clock.millis();
        Map<String, Double> events = counts("fathom.ingest.events", "source");
        Map<String, Double> snapshots = counts("fathom.snapshots", "view");
        Map<String, Double> eventsPerSecond = eventRates.rates(events);
        Map<String, Double> snapshotsPerSecond = snapshotRates.rates(snapshots);
        Map<String, OnlineWriter.Freshness> fresh = freshness.get();
        List<ViewStatus> views = new ArrayList<>();
        for (ViewDefinition view : definitions.views()) {
            OnlineWriter.Freshness f = fresh.get(view.name());
            views.add(new ViewStatus(
                    view.name(),
                    view.source(),
                    f == null ? null : f.lastEventTs(),
                    f == null ? null : (now - f.lastEventTs()) / 1000.0,
                    events.getOrDefault(view.source(), 0.0).longValue(),
                    eventsPerSecond.get(view.source()),
                    snapshots.getOrDefault(view.name(), 0.0).longValue(),
                    snapshotsPerSecond.get(view.name())));
        }
        Map<String, Long> deadLetters = new TreeMap<>();
        counts("fathom.dlq", "reason").forEach((reason, count) -> deadLetters.put(reason, count.longValue()));
        long total = deadLetters.values().stream().mapToLong(Long::longValue).sum();
        return new Status(now, views, deadLetters, total);
    }

    /** The counters of one name summed by one tag's value. */
    private Map<String, Double> counts(String counter, String tag) {
        Map<String, Double> sums = new TreeMap<>();
        for (Counter c : registry.find(counter).counters()) {
            String key = c.getId().getTag(tag);
            if (key != null) {
                sums.merge(key, c.count(), Double::sum);
            }
        }
        return sums;
    }
}
