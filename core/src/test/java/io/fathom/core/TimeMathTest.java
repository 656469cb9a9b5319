package io.fathom.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TimeMathTest {
    private static final BigInteger MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Long.MAX_VALUE);

    /** The exact result, clamped to the long range: what saturating arithmetic means. */
    private static long clamped(BigInteger exact) {
        return exact.max(MIN).min(MAX).longValueExact();
    }

    @Property
    void plusIsTheExactSumClampedToTheLongRange(@ForAll long a, @ForAll long b) {
        assertThat(TimeMath.plus(a, b)).isEqualTo(clamped(BigInteger.valueOf(a).add(BigInteger.valueOf(b))));
    }

    @Property
    void minusIsTheExactDifferenceClampedToTheLongRange(@ForAll long a, @ForAll long b) {
        assertThat(TimeMath.minus(a, b)).isEqualTo(clamped(BigInteger.valueOf(a).subtract(BigInteger.valueOf(b))));
    }

    @Test
    void aTtlPastTheEndOfTimeStaysThere() {
        assertThat(TimeMath.plus(Long.MAX_VALUE - 5, 10)).isEqualTo(Long.MAX_VALUE);
        assertThat(TimeMath.minus(Long.MIN_VALUE + 5, 10)).isEqualTo(Long.MIN_VALUE);
        assertThat(TimeMath.minus(0, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(TimeMath.plus(1_000, -300)).isEqualTo(700);
    }
}
