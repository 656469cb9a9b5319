package io.fathom.testkit.internal;

import io.fathom.testkit.TestkitException;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker (combined broker and controller) running in this JVM, on an ephemeral port
 * and a temporary log directory that is deleted on close.
 *
 * <p>This is the only class that touches Kafka's internal test API ({@code KafkaClusterTestKit},
 * {@code TestKitNodes} from {@code kafka-test-common-runtime}); it can change in any Kafka release.
 */
final class InJvmKafka implements BrokerBackend {

    /**
     * Broker settings for one node that still supports consumer groups and transactions (EOS needs the
     * transaction log to be satisfiable by one replica), tuned for start-up time.
     */
    static final Map<String, String> BROKER_CONFIG = Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "1",
            "group.initial.rebalance.delay.ms", "0",
            // Topics come from createTopics (or a Streams app's own admin calls); a typo must fail.
            "auto.create.topics.enable", "false",
            // Test data often carries historical event times: never let the retention check delete it.
            "log.retention.ms", "-1");

    private final KafkaClusterTestKit cluster;

    private InJvmKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Formats, starts and waits for a fresh broker. */
    static BrokerBackend start() {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            BROKER_CONFIG.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new InJvmKafka(cluster);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(cluster, e);
            throw new TestkitException("interrupted while starting the in-JVM Kafka broker", e);
        } catch (Exception e) {
            closeQuietly(cluster, e);
            throw new TestkitException("could not start the in-JVM Kafka broker: " + e.getMessage(), e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public String description() {
        return "in-JVM KRaft broker at " + bootstrapServers();
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestkitException("interrupted while stopping the " + description(), e);
        } catch (Exception e) {
            throw new TestkitException("could not stop the " + description() + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster, Exception failure) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            failure.addSuppressed(e);
        }
    }
}
