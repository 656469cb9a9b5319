package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {
    private final Properties props =
            BrokerProperties.of(Path.of("/tmp/fathom-kafka-test"), 19092, 19093, Duration.ofSeconds(60));

    @Test
    void kafkaAcceptsTheConfiguration() {
        KafkaConfig config = KafkaConfig.fromProps(props);

        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.logDirs()).containsExactly("/tmp/fathom-kafka-test");
        assertThat(config.quorumConfig().voters()).containsExactly("1@127.0.0.1:19093");
    }

    @Test
    void oneNodeSupportsGroupsAndTransactionsAndKeepsOldRecords() {
        assertThat(props)
                .containsEntry("process.roles", "broker,controller")
                .containsEntry("offsets.topic.replication.factor", "1")
                .containsEntry("transaction.state.log.replication.factor", "1")
                .containsEntry("transaction.state.log.min.isr", "1")
                .containsEntry("group.initial.rebalance.delay.ms", "0")
                .containsEntry("auto.create.topics.enable", "false")
                .containsEntry("log.retention.ms", "-1")
                .containsEntry("log.cleaner.dedupe.buffer.size", "2097152");
    }

    @Test
    void listensOnLoopbackOnly() {
        assertThat(List.of(props.getProperty("listeners").split(",")))
                .containsExactly("PLAINTEXT://127.0.0.1:19092", "CONTROLLER://127.0.0.1:19093");
        assertThat(props.getProperty("controller.quorum.voters")).isEqualTo("1@127.0.0.1:19093");
        assertThat(props.getProperty("advertised.listeners")).isEqualTo("PLAINTEXT://127.0.0.1:19092");
    }
}
