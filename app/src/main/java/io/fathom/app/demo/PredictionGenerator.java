package io.fathom.app.demo;

import java.time.Clock;
import java.time.Instant;
import java.util.Random;

/**
 * The fraud model's side of the demo: for each transaction a prediction (fraud or not) with the
 * customer's protected attributes, and the true label. Fair at first; once the world drifts the model
 * starts flagging one group ({@code gender=F}) far more often than the others — the bias the monitor
 * must catch (disparate impact well under 0.8) — until the world returns to normal.
 */
public final class PredictionGenerator {
    private static final String[] AGE_BANDS = {"18-25", "26-40", "41-65", "65+"};

    private final Random random;
    private final Clock clock;
    private final Instant biasFrom;
    private final Instant biasUntil;
    private long next;

    public PredictionGenerator(long seed, Clock clock, Instant biasFrom, Instant biasUntil) {
        this.random = new Random(seed);
        this.clock = clock;
        this.biasFrom = biasFrom;
        this.biasUntil = biasUntil;
    }

    /** A prediction and its label, as the JSON the bias monitor reads. */
    public record Scored(String id, String prediction, String label) {}

    public Scored next(long userId) {
        String id = "p" + (next++);
        String gender = userId % 2 == 0 ? "F" : "M";
        String ageBand = AGE_BANDS[(int) (userId % AGE_BANDS.length)];
        boolean fraud = random.nextDouble() < 0.05;
        double flagRate = fraud ? 0.8 : 0.1;
        Instant now = clock.instant();
        if (!now.isBefore(biasFrom) && now.isBefore(biasUntil) && gender.equals("F")) {
            flagRate = fraud ? 0.95 : 0.4;
        }
        boolean flagged = random.nextDouble() < flagRate;
        String prediction =
                "{\"id\": \"%s\", \"prediction\": %d, \"gender\": \"%s\", \"age_band\": \"%s\", \"event_time\": %d}"
                        .formatted(id, flagged ? 1 : 0, gender, ageBand, now.toEpochMilli());
        String label = "{\"id\": \"%s\", \"label\": %d}".formatted(id, fraud ? 1 : 0);
        return new Scored(id, prediction, label);
    }
}
