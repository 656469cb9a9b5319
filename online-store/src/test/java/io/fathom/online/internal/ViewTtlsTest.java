package io.fathom.online.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ViewTtlsTest {

    @Test
    void expiryIsEventTimePlusTtlSaturated() {
        ViewTtls ttls = ViewTtls.of(Map.of("v", Duration.ofDays(7)));
        assertThat(ttls.expiresAt("v", 1_000))
                .isEqualTo(1_000 + Duration.ofDays(7).toMillis());
        assertThat(ttls.expiresAt("v", Long.MAX_VALUE - 5)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsNamesThatWouldBreakKeysAndNegativeTtls() {
        assertThatThrownBy(() -> ViewTtls.of(Map.of("a:b", Duration.ofDays(1))))
                .hasMessage("view name \"a:b\" must be non-empty and hold neither ':' nor NUL");
        assertThatThrownBy(() -> ViewTtls.of(Map.of("a\0b", Duration.ofDays(1))))
                .hasMessageContaining("NUL");
        assertThatThrownBy(() -> ViewTtls.of(Map.of("", Duration.ofDays(1)))).hasMessageContaining("non-empty");
        assertThatThrownBy(() -> ViewTtls.of(Map.of("v", Duration.ofDays(-1))))
                .hasMessage("view v: ttl must not be negative, was PT-24H");
        assertThatThrownBy(() -> ViewTtls.of(Map.of())).hasMessage("an online store needs at least one view");
    }
}
