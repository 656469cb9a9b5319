package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaConfigTest {

    @Test
    void defaultsAreATemporaryDirectoryAndAFreePort() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.defaults();

        assertThat(config.dataDir()).isEmpty();
        assertThat(config.port()).isZero();
        assertThat(config.startTimeout()).isEqualTo(EmbeddedKafkaConfig.DEFAULT_START_TIMEOUT);
    }

    @Test
    void builderSetsEveryOption() {
        EmbeddedKafkaConfig config = EmbeddedKafkaConfig.builder()
                .dataDir(Path.of("data", "kafka"))
                .port(19092)
                .startTimeout(Duration.ofSeconds(5))
                .build();

        assertThat(config.dataDir()).contains(Path.of("data", "kafka"));
        assertThat(config.port()).isEqualTo(19092);
        assertThat(config.startTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void rejectsPortsOutOfRangeNamingTheValue() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder().port(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder().port(65_536).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65536");
    }

    @Test
    void rejectsANonPositiveStartTimeout() {
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .startTimeout(Duration.ZERO)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> EmbeddedKafkaConfig.builder()
                        .dataDir((Optional<Path>) null)
                        .build())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("dataDir");
    }
}
