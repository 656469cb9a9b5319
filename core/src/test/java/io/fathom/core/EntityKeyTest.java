package io.fathom.core;

import static io.fathom.core.Fixtures.assertRejected;
import static io.fathom.core.Fixtures.fields;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.core.InvalidEventException.Reason;
import io.fathom.schemas.EntityDefinition;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntityKeyTest {
    private static final EntityDefinition USER = new EntityDefinition("user", List.of("user_id"));
    private static final EntityDefinition ACCOUNT = new EntityDefinition("account", List.of("bank", "number"));

    @Test
    void singleIntegerKeyIsItsDecimal() {
        EntityKey key = EntityKey.of(USER, fields("user_id", 123L, "amount", 5.0));
        assertThat(key.encoded()).isEqualTo("123");
        assertThat(key.values()).containsExactly(123L);
        assertThat(EntityKey.of(USER, fields("user_id", -7)).encoded()).isEqualTo("-7");
    }

    @Test
    void integerAndItsStringAreTheSameEntity() {
        EntityKey number = EntityKey.of(USER, fields("user_id", 42L));
        EntityKey text = EntityKey.of(USER, fields("user_id", "42"));
        EntityKey integer = EntityKey.of(USER, fields("user_id", 42));
        EntityKey integralDouble = EntityKey.of(USER, fields("user_id", 42.0));
        assertThat(number.encoded())
                .isEqualTo(text.encoded())
                .isEqualTo(integer.encoded())
                .isEqualTo(integralDouble.encoded())
                .isEqualTo("42");
        assertThat(number).isEqualTo(text).hasSameHashCodeAs(text).isEqualTo(integralDouble);
        assertThat(integralDouble.values()).containsExactly(42L);
    }

    @Test
    void stringsAreVerbatimWithSeparatorAndEscapeEscaped() {
        assertThat(EntityKey.of(USER, fields("user_id", "a|b")).encoded()).isEqualTo("a\\|b");
        assertThat(EntityKey.of(USER, fields("user_id", "c:\\x")).encoded()).isEqualTo("c:\\\\x");
        assertThat(EntityKey.of(USER, fields("user_id", " é ")).encoded()).isEqualTo(" é ");
        assertThat(EntityKey.of(USER, fields("user_id", "")).encoded()).isEmpty();
    }

    @Test
    void compositeKeysJoinInColumnOrder() {
        EntityKey key = EntityKey.of(ACCOUNT, fields("number", 7L, "bank", "b|1\\"));
        assertThat(key.encoded()).isEqualTo("b\\|1\\\\|7");
        assertThat(key.columns()).containsExactly("bank", "number");
        assertThat(EntityKey.decode(ACCOUNT, key.encoded()).values()).containsExactly("b|1\\", "7");
        assertThat(EntityKey.decode(ACCOUNT, key.encoded())).isEqualTo(key);
        assertThat(EntityKey.decode(ACCOUNT, "|").values()).containsExactly("", "");
    }

    @Test
    void decodeGivesStrings() {
        EntityKey decoded = EntityKey.decode(USER, "123");
        assertThat(decoded.values()).containsExactly("123");
        assertThat(decoded).isEqualTo(EntityKey.of(USER, fields("user_id", 123L)));
    }

    @Test
    void missingKeys() {
        assertRejected(() -> EntityKey.of(USER, fields("other", 1L)), Reason.MISSING_KEY)
                .hasMessageContaining("user_id");
        assertRejected(() -> EntityKey.of(USER, fields("user_id", null)), Reason.MISSING_KEY);
        assertRejected(() -> EntityKey.of(ACCOUNT, fields("bank", "x")), Reason.MISSING_KEY)
                .hasMessageContaining("number");
    }

    @Test
    void wrongKeyTypes() {
        assertRejected(() -> EntityKey.of(USER, fields("user_id", 4.5)), Reason.WRONG_TYPE)
                .hasMessageContaining("4.5");
        assertRejected(() -> EntityKey.of(USER, fields("user_id", true)), Reason.WRONG_TYPE);
        assertRejected(() -> EntityKey.of(USER, fields("user_id", Double.NaN)), Reason.WRONG_TYPE);
        assertRejected(() -> EntityKey.of(USER, fields("user_id", 1e19)), Reason.WRONG_TYPE);
        assertRejected(() -> EntityKey.of(USER, fields("user_id", List.of(1))), Reason.WRONG_TYPE);
    }

    @Test
    void badEncodingsAreRejected() {
        assertThatThrownBy(() -> EntityKey.decode(ACCOUNT, "only-one"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2");
        assertThatThrownBy(() -> EntityKey.decode(USER, "a|b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntityKey.decode(USER, "a\\")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntityKey.decode(USER, "a\\b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void constructorValidates() {
        assertThatThrownBy(() -> new EntityKey(List.of("a", "b"), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntityKey(List.of("a"), List.of(true)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EntityKey(List.of(), List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void encodingRoundTrips(@ForAll("keyPairs") List<Object> values) {
        EntityKey key = EntityKey.of(ACCOUNT, Map.of("bank", values.get(0), "number", values.get(1)));
        EntityKey decoded = EntityKey.decode(ACCOUNT, key.encoded());
        assertThat(decoded).isEqualTo(key);
        assertThat(decoded.encoded()).isEqualTo(key.encoded());
        assertThat(decoded.values())
                .containsExactly(values.stream().map(String::valueOf).toArray());
    }

    @Property(tries = 300)
    void distinctKeysEncodeDistinctly(@ForAll("keyPairs") List<Object> a, @ForAll("keyPairs") List<Object> b) {
        EntityKey x = EntityKey.of(ACCOUNT, Map.of("bank", a.get(0), "number", a.get(1)));
        EntityKey y = EntityKey.of(ACCOUNT, Map.of("bank", b.get(0), "number", b.get(1)));
        boolean sameText = String.valueOf(a.get(0)).equals(String.valueOf(b.get(0)))
                && String.valueOf(a.get(1)).equals(String.valueOf(b.get(1)));
        assertThat(x.encoded().equals(y.encoded())).isEqualTo(sameText);
    }

    @Provide
    Arbitrary<List<Object>> keyPairs() {
        return keyValue().list().ofSize(2);
    }

    private static Arbitrary<Object> keyValue() {
        return Arbitraries.oneOf(
                Arbitraries.longs().map(Object.class::cast),
                Arbitraries.strings()
                        .withChars('a', 'b', '|', '\\', '1', ' ', 'é')
                        .ofMaxLength(6)
                        .map(Object.class::cast));
    }
}
