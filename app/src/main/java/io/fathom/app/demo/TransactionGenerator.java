package io.fathom.app.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Synthetic card transactions for the demo, shaped like the real thing: a few thousand users of
 * uneven activity, amounts log-normal (median about 33), merchants drawn from a skewed catalogue of
 * categories, countries weighted towards the users' home markets.
 *
 * <p>After {@code driftAfter}, for {@code driftFor}, the world changes the way fraud-monitoring teams see
 * it change: amounts shift up (median about 67) and a merchant category never seen before
 * ({@code crypto}) takes 40% of the traffic, so the monitor has something real to find — and then
 * something to see recover.
 */
public final class TransactionGenerator {
    private static final String[] CATEGORIES = {"grocery", "fuel", "restaurant", "travel", "electronics", "fashion"};
    private static final double[] CATEGORY_WEIGHTS = {0.35, 0.2, 0.2, 0.1, 0.08, 0.07};
    private static final String[] COUNTRIES = {"FR", "DE", "NL", "US", "GB", "ES"};
    private static final double[] COUNTRY_WEIGHTS = {0.3, 0.25, 0.15, 0.1, 0.1, 0.1};
    private static final int MERCHANTS_PER_CATEGORY = 40;

    private final Schema schema;
    private final int users;
    private final Random random;
    private final Clock clock;
    private final Instant driftFrom;
    private final Instant driftUntil;

    /**
     * @param schema the transaction schema (user_id, merchant_id, merchant, amount, country, event_time)
     * @param users how many users generate traffic
     * @param seed random seed (same seed, same clock: same events)
     * @param driftAfter how long after now the distributions shift; null for never
     * @param driftFor how long the shift lasts before the world returns to normal
     */
    public TransactionGenerator(
            Schema schema, int users, long seed, Clock clock, Duration driftAfter, Duration driftFor) {
        this.schema = Objects.requireNonNull(schema, "schema");
        if (users < 1) {
            throw new IllegalArgumentException("users must be >= 1, was " + users);
        }
        this.users = users;
        this.random = new Random(seed);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.driftFrom = driftAfter == null ? Instant.MAX : clock.instant().plus(driftAfter);
        this.driftUntil = driftAfter == null ? Instant.MAX : driftFrom.plus(driftFor);
    }

    /** Whether events generated now are drifted. */
    public boolean drifting() {
        Instant now = clock.instant();
        return !now.isBefore(driftFrom) && now.isBefore(driftUntil);
    }

    /** The next transaction, timestamped now. */
    public GenericRecord next() {
        boolean drifted = drifting();
        long user = skewedUser();
        String category = drifted && random.nextDouble() < 0.4 ? "crypto" : pick(CATEGORIES, CATEGORY_WEIGHTS);
        int merchantInCategory = (int) Math.min(MERCHANTS_PER_CATEGORY - 1, Math.abs(random.nextGaussian()) * 12);
        long merchantId = (long) indexOf(category) * MERCHANTS_PER_CATEGORY + merchantInCategory;
        double mu = drifted ? 4.2 : 3.5;
        double amount = Math.round(Math.exp(mu + random.nextGaussian()) * 100) / 100.0;

        GenericRecord record = new GenericData.Record(schema);
        record.put("user_id", user);
        record.put("merchant_id", merchantId);
        record.put("merchant", category + "_" + merchantInCategory);
        record.put("amount", amount);
        record.put("country", pick(COUNTRIES, COUNTRY_WEIGHTS));
        record.put("event_time", clock.millis());
        return record;
    }

    /** Users of uneven activity: a quarter of the users make about half of the transactions. */
    private long skewedUser() {
        return random.nextBoolean() ? random.nextInt(Math.max(1, users / 4)) : random.nextInt(users);
    }

    private static int indexOf(String category) {
        for (int i = 0; i < CATEGORIES.length; i++) {
            if (CATEGORIES[i].equals(category)) {
                return i;
            }
        }
        return CATEGORIES.length; // crypto: a category the catalogue never had
    }

    private String pick(String[] values, double[] weights) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (int i = 0; i < values.length; i++) {
            cumulative += weights[i];
            if (u < cumulative) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }
}
