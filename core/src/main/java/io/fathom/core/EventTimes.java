package io.fathom.core;

import io.fathom.core.InvalidEventException.Reason;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Event-time parsing. An event time is epoch millis, given as a {@code Long}/{@code Integer}, as a
 * string of decimal digits (optionally signed), or as an ISO-8601 date-time string with an offset
 * ({@code 2026-01-01T00:00:00Z}, {@code 2026-01-01T02:00:00.250+02:00}); sub-millisecond digits are
 * truncated towards the past. A date-time without an offset is rejected: guessing a zone would
 * silently shift events.
 */
public final class EventTimes {
    private EventTimes() {}

    /**
     * Epoch millis of an event-time value.
     *
     * @throws InvalidEventException {@code MISSING_TIMESTAMP} for null; {@code BAD_TIMESTAMP}, with the
     *     value in the message, for anything else that is not a time ({@code Long.MIN_VALUE} included:
     *     it means "no event" in an {@code EntityState})
     */
    public static long parse(Object value) {
        if (value == null) {
            throw new InvalidEventException(Reason.MISSING_TIMESTAMP, "event has no timestamp");
        }
        if (value instanceof Long || value instanceof Integer) {
            return checked(((Number) value).longValue(), value);
        }
        if (value instanceof CharSequence text) {
            return parseText(text.toString());
        }
        throw bad(value, "expected epoch millis or an ISO-8601 string with offset, got " + Messages.describe(value));
    }

    private static long parseText(String text) {
        if (isInteger(text)) {
            try {
                return checked(Long.parseLong(text), text);
            } catch (NumberFormatException e) {
                throw bad(text, "out of range for epoch millis", e);
            }
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME
                    .parse(text, OffsetDateTime::from)
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeException | ArithmeticException e) {
            throw bad(text, "not epoch millis nor an ISO-8601 date-time with offset", e);
        }
    }

    private static boolean isInteger(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        if (text.length() == start) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long checked(long millis, Object value) {
        if (millis == Long.MIN_VALUE) {
            throw bad(value, "out of range for epoch millis");
        }
        return millis;
    }

    private static InvalidEventException bad(Object value, String why) {
        return new InvalidEventException(Reason.BAD_TIMESTAMP, "bad timestamp " + Messages.show(value) + ": " + why);
    }

    private static InvalidEventException bad(Object value, String why, Throwable cause) {
        return new InvalidEventException(
                Reason.BAD_TIMESTAMP, "bad timestamp " + Messages.show(value) + ": " + why, cause);
    }
}
