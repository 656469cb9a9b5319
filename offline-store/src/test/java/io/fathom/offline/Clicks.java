package io.fathom.offline;

import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.ViewDefinition;
import io.fathom.testkit.BruteForce;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The clicks of {@link TestViews#clicks} for the tests of the event history: random clicks of six users from
 * 22:00 on, across midnight, and their archive as two partitions receive them in a shuffled order.
 */
final class Clicks {
    static final long T0 = Instant.parse("2026-10-01T22:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final FeatureDefinitions DEFINITIONS = TestViews.clicks();
    static final ViewDefinition VIEW = DEFINITIONS.views().get(0);

    private Clicks() {}

    /**
     * {@code count} clicks of users 1 to 6, the i-th at {@code T0 + i × 30 s} plus {@code random.nextInt(jitterSteps)}
     * steps of {@code jitterStep} ms; {@code x} is null a third of the time.
     */
    static List<BruteForce.Event> events(Random random, int count, int jitterSteps, long jitterStep) {
        List<BruteForce.Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> fields = new HashMap<>();
            fields.put("user_id", 1L + random.nextInt(6));
            fields.put("x", random.nextInt(3) == 0 ? null : random.nextInt(1_000) / 10.0);
            fields.put("tag", "t" + random.nextInt(4));
            long ts = T0 + i * 30_000L + random.nextInt(jitterSteps) * jitterStep;
            fields.put("ts", ts);
            events.add(new BruteForce.Event(ts, i, fields));
        }
        return events;
    }

    /** An archive of two partitions, each event at its partition's next offset. */
    static final class Archive {
        private final List<EventArchive.Archived> archived = new ArrayList<>();
        private final long[] offsets = new long[2];

        /** The events in a shuffled order, each to a random partition. */
        Archive shuffled(List<BruteForce.Event> events, Random random) {
            List<BruteForce.Event> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            for (BruteForce.Event event : shuffled) {
                add(random.nextInt(2), event.ts(), event.fields(), null);
            }
            return this;
        }

        /** One event; {@code rawJson} (when not null) is archived instead of the fields' text. */
        Archive add(int partition, long eventTs, Map<String, Object> fields, String rawJson) {
            archived.add(new EventArchive.Archived(partition, offsets[partition]++, eventTs, fields, rawJson));
            return this;
        }

        List<EventArchive.Archived> archived() {
            return archived;
        }
    }
}
