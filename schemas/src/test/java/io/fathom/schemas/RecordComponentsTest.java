package io.fathom.schemas;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecordComponentsTest {
    private record Pair(String left, int count, Object right) {
        Pair {
            RecordComponents.requireNonNull(Pair.class, left, count, right);
        }
    }

    private record Wrong(String left, Object right) {
        Wrong {
            RecordComponents.requireNonNull(Wrong.class, left);
        }
    }

    @Test
    void aNullComponentIsNamedLikeObjectsRequireNonNull() {
        assertThatThrownBy(() -> new Pair("a", 1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("right");
        assertThatThrownBy(() -> new Pair(null, 1, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("left");
        assertThatCode(() -> new Pair("a", 0, new Object())).doesNotThrowAnyException();
    }

    @Test
    void aCheckGivenTooFewComponentsSaysSo() {
        assertThatThrownBy(() -> new Wrong(null, "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Wrong has 2 components, the check was given 1");
    }
}
