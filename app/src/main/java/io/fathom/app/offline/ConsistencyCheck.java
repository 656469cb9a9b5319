package io.fathom.app.offline;

import com.fasterxml.jackson.databind.JsonNode;
import io.fathom.offline.EntityRow;
import io.fathom.offline.NoEventHistoryException;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * DESIGN's consistency check: online reads sampled during a run (with the time each was evaluated at
 * and the {@code event_ts} each value came from) replayed through the point-in-time join at the same
 * time, {@code as_known_at}. A read that served an older snapshot than the join picks is freshness lag
 * (the online writer had not applied the newest one yet), counted with its delay; every other
 * difference is a mismatch, and the expected number of mismatches is zero. {@link #eventTimeGap} also
 * says how far the same reads are from the event-time training set: values that differ because events
 * arrived late or out of order (or were not applied yet), with the delay.
 */
public final class ConsistencyCheck {
    /** One entity's answer in one online read (the JSON of {@code POST /v1/features/online}). */
    public record Sample(
            Map<String, Object> entity, long readAt, JsonNode values, JsonNode statuses, JsonNode eventTimes) {}

    /**
     * @param sameTimeDifferences values that differ although online and offline used a snapshot of the
     *     same {@code event_ts}: the entity had several snapshots in that millisecond and the online API
     *     does not return {@code created_ts}, so lag cannot be told from a mismatch (counted, not judged)
     */
    public record Outcome(
            int values,
            int matched,
            int lagging,
            long maxLagMillis,
            int sameTimeDifferences,
            List<String> mismatches) {}

    /**
     * The online reads against the event-time training set at the same times.
     *
     * @param differing values the online read answered otherwise
     * @param maxDelayMillis the largest gap, among those, between the newest event at or before the read
     *     time and the {@code event_ts} the online read served (0 where the read served the newest)
     */
    public record EventTimeGap(int values, int differing, long maxDelayMillis) {}

    private ConsistencyCheck() {}

    public static Outcome compare(String view, List<String> features, List<Sample> samples, PointInTimeJoin join) {
        List<TrainingRow> joined = join.join(rows(samples), features, true);
        int values = 0;
        int matched = 0;
        int lagging = 0;
        int sameTime = 0;
        long maxLag = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            TrainingRow row = joined.get(i);
            Long joinEventTs = row.snapshotEventTs().get(view);
            for (int f = 0; f < features.size(); f++) {
                values++;
                String column = features.get(f).replace(":", PointInTimeJoin.COLUMN_SEPARATOR);
                Object offline = row.features().get(column);
                JsonNode online = sample.values().get(f);
                String status = sample.statuses().get(f).asText();
                Long onlineEventTs = sample.eventTimes().get(f).isNull()
                        ? null
                        : sample.eventTimes().get(f).asLong();
                String where = sample.entity() + " at " + sample.readAt() + " " + features.get(f);
                if (status.equals("PRESENT") && joinEventTs != null && joinEventTs > onlineEventTs) {
                    lagging++;
                    maxLag = Math.max(maxLag, joinEventTs - onlineEventTs);
                } else if (status.equals("NOT_FOUND") && joinEventTs != null) {
                    lagging++;
                } else if (status.equals("PRESENT") && !Objects.equals(joinEventTs, onlineEventTs)) {
                    mismatches.add(where + ": online served the snapshot of " + onlineEventTs + ", the join found "
                            + joinEventTs);
                } else if (sameValue(online, offline)) {
                    matched++;
                } else if (status.equals("PRESENT")) {
                    sameTime++;
                } else {
                    mismatches.add(where + ": online " + online + ", offline " + offline);
                }
            }
        }
        return new Outcome(values, matched, lagging, maxLag, sameTime, mismatches);
    }

    /** Empty when the view's source has no event history to compare with. */
    public static Optional<EventTimeGap> eventTimeGap(
            String view, List<String> features, List<Sample> samples, PointInTimeJoin join) {
        List<TrainingRow> joined;
        try {
            joined = join.join(rows(samples), features, false);
        } catch (NoEventHistoryException e) {
            return Optional.empty();
        }
        int values = 0;
        int differing = 0;
        long maxDelay = 0;
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            TrainingRow row = joined.get(i);
            Long newestEvent = row.snapshotEventTs().get(view);
            for (int f = 0; f < features.size(); f++) {
                values++;
                Object exact = row.features().get(features.get(f).replace(":", PointInTimeJoin.COLUMN_SEPARATOR));
                if (sameValue(sample.values().get(f), exact)) {
                    continue;
                }
                differing++;
                JsonNode served = sample.eventTimes().get(f);
                if (newestEvent != null && !served.isNull()) {
                    maxDelay = Math.max(maxDelay, newestEvent - served.asLong());
                }
            }
        }
        return Optional.of(new EventTimeGap(values, differing, maxDelay));
    }

    private static List<EntityRow> rows(List<Sample> samples) {
        return samples.stream().map(s -> new EntityRow(s.entity(), s.readAt())).toList();
    }

    private static boolean sameValue(JsonNode online, Object offline) {
        if (online == null || online.isNull()) {
            return offline == null;
        }
        if (offline instanceof Long l) {
            return online.isIntegralNumber() && online.asLong() == l;
        }
        if (offline instanceof Double d) {
            return online.isNumber() && Double.compare(online.asDouble(), d) == 0;
        }
        if (offline instanceof Boolean b) {
            return online.isBoolean() && online.asBoolean() == b;
        }
        return offline != null && online.isTextual() && online.asText().equals(offline.toString());
    }
}
