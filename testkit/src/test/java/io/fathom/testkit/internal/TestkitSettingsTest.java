package io.fathom.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.testkit.TestkitException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestkitSettingsTest {

    private static TestkitSettings settings(Map<String, String> properties, Map<String, String> environment) {
        return TestkitSettings.from(properties::get, environment::get);
    }

    @Test
    void dockerIsNotUsedUnlessAsked() {
        assertThat(settings(Map.of(), Map.of()).dockerRequested()).isFalse();
    }

    @Test
    void dockerCanBeAskedForByPropertyOrEnvironment() {
        assertThat(settings(Map.of("FATHOM_TESTKIT_DOCKER", "true"), Map.of()).dockerRequested())
                .isTrue();
        assertThat(settings(Map.of(), Map.of("FATHOM_TESTKIT_DOCKER", "TRUE")).dockerRequested())
                .isTrue();
    }

    @Test
    void systemPropertyWinsOverEnvironment() {
        assertThat(settings(Map.of("FATHOM_TESTKIT_DOCKER", "false"), Map.of("FATHOM_TESTKIT_DOCKER", "true"))
                        .dockerRequested())
                .isFalse();
    }

    @Test
    void anythingButTrueOrFalseIsRejectedWithItsValue() {
        assertThatThrownBy(() -> settings(Map.of("FATHOM_TESTKIT_DOCKER", "yes"), Map.of()))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("FATHOM_TESTKIT_DOCKER")
                .hasMessageContaining("'yes'");
    }
}
