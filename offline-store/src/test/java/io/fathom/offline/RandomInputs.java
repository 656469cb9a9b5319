package io.fathom.offline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Random payments over the {@link TestViews} and entity rows to join them with, drawn from a seeded {@link Random}. */
final class RandomInputs {
    private RandomInputs() {}

    /**
     * {@code count} payments from {@code t0} on, each up to {@code maxStepMillis} after the one before, of
     * users 1 to {@code users} at merchants m0 to m2, in FR or DE; each arrives within 500 ms of its time.
     */
    static List<SnapshotHistory.Event> events(Random random, long t0, int count, int maxStepMillis, int users) {
        List<SnapshotHistory.Event> events = new ArrayList<>();
        long ts = t0;
        for (int i = 0; i < count; i++) {
            ts += random.nextInt(maxStepMillis);
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", 1L + random.nextInt(users));
            fields.put("merchant", "m" + random.nextInt(3));
            fields.put("amount", random.nextInt(10_000) / 100.0);
            fields.put("country", random.nextBoolean() ? "FR" : "DE");
            events.add(new SnapshotHistory.Event(ts, ts + random.nextInt(500), fields));
        }
        return events;
    }

    /** {@code count} rows of users 1 to {@code users} and merchants m0 to m2, at times in [t0, t0 + spanMillis). */
    static List<EntityRow> rows(Random random, long t0, int count, int users, int spanMillis) {
        List<EntityRow> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new EntityRow(
                    Map.of("user_id", 1L + random.nextInt(users), "merchant", "m" + random.nextInt(3)),
                    t0 + random.nextInt(spanMillis)));
        }
        return rows;
    }
}
