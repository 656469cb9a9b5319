package io.fathom.core;

import static io.fathom.core.Fixtures.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.fathom.core.InvalidEventException.Reason;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventTimesTest {
    private static final long NEW_YEAR_2026 =
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @Test
    void epochMillisAsNumbers() {
        assertThat(EventTimes.parse(NEW_YEAR_2026)).isEqualTo(NEW_YEAR_2026);
        assertThat(EventTimes.parse(42)).isEqualTo(42L);
        assertThat(EventTimes.parse(-1L)).isEqualTo(-1L);
    }

    @Test
    void epochMillisAsNumericStrings() {
        assertThat(EventTimes.parse(Long.toString(NEW_YEAR_2026))).isEqualTo(NEW_YEAR_2026);
        assertThat(EventTimes.parse("-1500")).isEqualTo(-1500L);
        assertThat(EventTimes.parse("+7")).isEqualTo(7L);
        assertThat(EventTimes.parse("0")).isEqualTo(0L);
    }

    @Test
    void isoWithOffset() {
        assertThat(EventTimes.parse("2026-01-01T00:00:00Z")).isEqualTo(NEW_YEAR_2026);
        assertThat(EventTimes.parse("2026-01-01T02:00:00+02:00")).isEqualTo(NEW_YEAR_2026);
        assertThat(EventTimes.parse("2025-12-31T19:00:00.250-05:00")).isEqualTo(NEW_YEAR_2026 + 250);
        assertThat(EventTimes.parse("2026-01-01T00:00:00.123456789Z")).isEqualTo(NEW_YEAR_2026 + 123);
        assertThat(EventTimes.parse("1969-12-31T23:59:59.9995Z")).isEqualTo(-1L);
    }

    @Test
    void nullIsMissing() {
        assertRejected(() -> EventTimes.parse(null), Reason.MISSING_TIMESTAMP);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-01-01T00:00:00",
                "2026-01-01",
                "yesterday",
                "",
                "-",
                "12.5",
                " 123",
                "99999999999999999999",
                "-9223372036854775808",
                "2026-13-01T00:00:00Z"
            })
    void badStringsNameTheValue(String value) {
        assertRejected(() -> EventTimes.parse(value), Reason.BAD_TIMESTAMP).hasMessageContaining("\"" + value + "\"");
    }

    @Test
    void otherTypesAreBad() {
        assertRejected(() -> EventTimes.parse(1.7e12), Reason.BAD_TIMESTAMP).hasMessageContaining("Double");
        assertRejected(() -> EventTimes.parse(true), Reason.BAD_TIMESTAMP).hasMessageContaining("true");
        assertRejected(() -> EventTimes.parse(Long.MIN_VALUE), Reason.BAD_TIMESTAMP);
    }

    @Test
    void longValuesAreCutShortInMessages() {
        String huge = "x".repeat(10_000);
        assertRejected(() -> EventTimes.parse(huge), Reason.BAD_TIMESTAMP)
                .hasMessageContaining("\"" + "x".repeat(80) + "...\"")
                .satisfies(e -> org.assertj.core.api.Assertions.assertThat(e.getMessage())
                        .hasSizeLessThan(200));
    }

    @Test
    void parseFailuresKeepTheirCause() {
        assertRejected(() -> EventTimes.parse("2026-01-01T00:00:00"), Reason.BAD_TIMESTAMP)
                .hasCauseInstanceOf(java.time.DateTimeException.class);
    }

    @Test
    void reasonCodes() {
        assertThat(Reason.UNDECODABLE.code()).isEqualTo("undecodable");
        assertThat(Reason.MISSING_TIMESTAMP.code()).isEqualTo("missing_timestamp");
        assertThat(Reason.BAD_TIMESTAMP.code()).isEqualTo("bad_timestamp");
        assertThat(Reason.MISSING_KEY.code()).isEqualTo("missing_key");
        assertThat(Reason.WRONG_TYPE.code()).isEqualTo("wrong_type");
        assertThat(Reason.LATE.code()).isEqualTo("late");
    }
}
