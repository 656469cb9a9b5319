package io.fathom.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The chaos run's input, a pure function of a seed and a sequence number: event {@code seq} is a click of one of
 * {@code users} users with a whole-number amount (so sums are exact in any order), or one of the {@link Bad}
 * events, mixed in at a fixed rate. The verifier reads the sequence numbers back from the source topic (header
 * {@value #SEQ_HEADER}) and recomputes from them what every user's state, snapshots and dead letters must be.
 */
final class ChaosEvents {
    static final String TOPIC = "chaos-events";
    static final String VIEW = "chaos_clicks";
    static final String COUNT = "clicks_7d";
    static final String SUM = "amount_sum_7d";
    static final String SEQ_HEADER = "chaos-seq";
    /** One event in this many is a bad one. */
    private static final int BAD_EVERY = 53;

    /** The malformed events mixed in, with the dead-letter reason ingest must give each. */
    enum Bad {
        TRUNCATED_JSON("undecodable"),
        AMOUNT_NOT_A_NUMBER("wrong_type"),
        NO_TIMESTAMP("missing_timestamp"),
        TIMESTAMP_NOT_A_TIME("bad_timestamp"),
        NO_KEY("missing_key"),
        GARBAGE_BYTES("undecodable"),
        OBJECT_AS_KEY("wrong_type");

        final String reason;

        Bad(String reason) {
            this.reason = reason;
        }
    }

    /** Event {@code seq}: a user's click of {@code amount}, or a bad event ({@code bad} present). */
    record Event(long seq, long user, long amount, Optional<Bad> bad) {}

    private final long seed;
    private final int users;

    ChaosEvents(long seed, int users) {
        this.seed = seed;
        this.users = users;
    }

    int users() {
        return users;
    }

    Event event(long seq) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + seq);
        long user = random.nextInt(users);
        long amount = random.nextInt(1_000);
        Optional<Bad> bad = seq % BAD_EVERY == BAD_EVERY / 2
                ? Optional.of(Bad.values()[(int) (seq / BAD_EVERY % Bad.values().length)])
                : Optional.empty();
        return new Event(seq, user, amount, bad);
    }

    /** The bytes sent for an event, with {@code eventTime} as its event time where it has a usable one. */
    static byte[] value(Event event, long eventTime) {
        long u = event.user();
        if (event.bad().isEmpty()) {
            return "{\"user_id\": %d, \"amount\": %d, \"event_time\": %d, \"seq\": %d}"
                    .formatted(u, event.amount(), eventTime, event.seq())
                    .getBytes(StandardCharsets.UTF_8);
        }
        String json =
                switch (event.bad().get()) {
                    case TRUNCATED_JSON -> "{\"user_id\": %d, \"amount\": 5".formatted(u);
                    case AMOUNT_NOT_A_NUMBER -> "{\"user_id\": %d, \"amount\": \"ten\", \"event_time\": %d}"
                            .formatted(u, eventTime);
                    case NO_TIMESTAMP -> "{\"user_id\": %d, \"amount\": 5}".formatted(u);
                    case TIMESTAMP_NOT_A_TIME -> "{\"user_id\": %d, \"amount\": 5, \"event_time\": \"yesterday\"}"
                            .formatted(u);
                    case NO_KEY -> "{\"amount\": 5, \"event_time\": %d}".formatted(eventTime);
                    case GARBAGE_BYTES -> null;
                    case OBJECT_AS_KEY -> "{\"user_id\": {\"id\": %d}, \"amount\": 5, \"event_time\": %d}"
                            .formatted(u, eventTime);
                };
        return json == null ? new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'x'} : json.getBytes(StandardCharsets.UTF_8);
    }

    /** The definitions every process of the run reads: one entity, one JSON source, one view counting and summing. */
    static String definitions() {
        return "entities:\n  - {name: user, keys: [user_id]}\n"
                + "sources:\n  - {name: clicks, topic: " + TOPIC + ", format: json, timestamp: event_time}\n"
                + "views:\n  - name: " + VIEW + "\n    entity: user\n    source: clicks\n    granularity: 1m\n"
                + "    ttl: 7d\n    allowed_lateness: 2h\n    features:\n"
                + "      - {name: " + COUNT + ", aggregation: count, window: 7d}\n"
                + "      - {name: " + SUM + ", aggregation: sum, field: amount, window: 7d}\n";
    }
}
