package io.fathom.app.demo;

import io.fathom.monitor.drift.Baseline;
import io.fathom.offline.EntityRow;
import io.fathom.offline.PointInTimeJoin;
import io.fathom.offline.TrainingRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The demo's baseline, made the way a data scientist would: a training set from the offline store (the
 * point-in-time join at the times of a sample of real transactions of the first period), then the
 * baseline of its feature columns.
 */
public final class DemoBaseline {
    private static final int SAMPLE = 5_000;

    private final List<EntityRow> sample = new ArrayList<>();
    private final Random random = new Random(7);
    private long seen;

    /** Offers a produced transaction to the reservoir sample (thread-safe). */
    public synchronized void offer(long userId, long eventTime) {
        seen++;
        EntityRow row = new EntityRow(Map.of(DemoMilestones.USER_KEY, userId), eventTime);
        if (sample.size() < SAMPLE) {
            sample.add(row);
        } else {
            long slot = (long) (random.nextDouble() * seen);
            if (slot < SAMPLE) {
                sample.set((int) slot, row);
            }
        }
    }

    /** Rows sampled so far whose time is at or before {@code until} (so their snapshots are in committed files). */
    public synchronized List<EntityRow> rowsUntil(long until) {
        return sample.stream().filter(r -> r.timestampMillis() <= until).toList();
    }

    /** Joins the rows and builds the baseline of {@link DemoMonitoring#VIEW}. */
    public static Baseline build(PointInTimeJoin join, List<EntityRow> rows, Clock clock) {
        String view = DemoMonitoring.VIEW;
        List<TrainingRow> joined =
                join.join(rows, List.of(view + ":amount_last", view + ":merchant_last", view + ":country_last"), false);
        List<Double> amounts = new ArrayList<>();
        List<String> merchants = new ArrayList<>();
        List<String> countries = new ArrayList<>();
        for (TrainingRow row : joined) {
            Object amount = row.features().get(view + "__amount_last");
            if (amount instanceof Number n) {
                amounts.add(n.doubleValue());
            }
            Object merchant = row.features().get(view + "__merchant_last");
            if (merchant != null) {
                merchants.add(merchant.toString());
            }
            Object country = row.features().get(view + "__country_last");
            if (country != null) {
                countries.add(country.toString());
            }
        }
        return Baseline.builder(view, "demo training set of " + joined.size() + " rows", clock)
                .numeric("amount_last", amounts)
                .categorical("merchant_last", merchants)
                .categorical("country_last", countries)
                .build();
    }
}
