package io.fathom.schemas.yaml;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in definitions: a whole number and a unit ({@code 500ms}, {@code 30s},
 * {@code 15m}, {@code 1h}, {@code 7d}), or ISO-8601 ({@code PT1H}, {@code P1D}). Whole milliseconds
 * only: tiles and windows are counted in epoch millis.
 */
public final class Durations {
    public static final String EXPECTED = "use e.g. 500ms, 30s, 15m, 1h, 7d or ISO-8601 PT1H";

    private static final Pattern SHORT = Pattern.compile("(\\d{1,18})(ms|s|m|h|d)");
    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ms", ChronoUnit.MILLIS,
            "s", ChronoUnit.SECONDS,
            "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS,
            "d", ChronoUnit.DAYS);

    private Durations() {}

    /** The duration, or empty if the text is not one (including ISO durations finer than a millisecond). */
    public static Optional<Duration> parse(String text) {
        Matcher shortForm = SHORT.matcher(text);
        try {
            if (shortForm.matches()) {
                return Optional.of(Duration.of(Long.parseLong(shortForm.group(1)), UNITS.get(shortForm.group(2))));
            }
            if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P")) {
                Duration iso = Duration.parse(text);
                return iso.getNano() % 1_000_000 == 0 ? Optional.of(iso) : Optional.empty();
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // not a duration (or beyond what Duration holds): reported by the caller with the text
        }
        return Optional.empty();
    }

    /** The shortest form in the largest unit that divides it exactly: {@code 90s}, {@code 1h}, {@code 7d}. */
    public static String format(Duration duration) {
        if (duration.isZero()) {
            return "0s";
        }
        if (duration.getNano() % 1_000_000 != 0) {
            return duration.toString();
        }
        String sign = duration.isNegative() ? "-" : "";
        Duration abs = duration.abs();
        long seconds = abs.getSeconds();
        if (abs.getNano() != 0) {
            return sign + abs.toMillis() + "ms";
        }
        if (seconds % 86_400 == 0) {
            return sign + seconds / 86_400 + "d";
        }
        if (seconds % 3_600 == 0) {
            return sign + seconds / 3_600 + "h";
        }
        if (seconds % 60 == 0) {
            return sign + seconds / 60 + "m";
        }
        return sign + seconds + "s";
    }

    /** Whether {@code whole} is a whole multiple of the positive {@code part}. */
    public static boolean isMultiple(Duration whole, Duration part) {
        return whole.minus(part.multipliedBy(whole.dividedBy(part))).isZero();
    }
}
