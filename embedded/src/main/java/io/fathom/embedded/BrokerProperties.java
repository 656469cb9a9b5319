package io.fathom.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of the one KRaft node: broker and controller in one process, node id 1, a static
 * one-voter quorum, both listeners on {@code 127.0.0.1}, plain text.
 */
final class BrokerProperties {
    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;

    /**
     * Settings for one node that still supports consumer groups and transactions (exactly-once needs the
     * transaction log to be satisfiable by one replica), tuned for start-up time.
     */
    static final Map<String, String> SINGLE_NODE = Map.of(
            "offsets.topic.replication.factor", "1",
            "offsets.topic.num.partitions", "1",
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "transaction.state.log.num.partitions", "1",
            "group.initial.rebalance.delay.ms", "0",
            // Topics come from createTopics (or a Streams app's own admin calls); a typo must fail.
            "auto.create.topics.enable", "false",
            // Demo and test data carry historical event times: never let the retention check delete them.
            "log.retention.ms", "-1",
            // The log cleaner (compacted changelogs, offsets) allocates this buffer up front: 128 MiB of heap
            // by default. 2 MiB (as Kafka's own KafkaClusterTestKit uses) still dedupes ~87k keys per pass.
            "log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));

    private BrokerProperties() {}

    static Properties of(Path logDir, int clientPort, int controllerPort, Duration startTimeout) {
        Properties props = new Properties();
        props.putAll(SINGLE_NODE);
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        // A static quorum (not --standalone's dynamic one): the voter's address lives in this configuration,
        // not in the formatted log, so a kept log directory can be started again on other ports.
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put(
                "listeners", "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());
        // Bounds the broker's own start-up waits (catching up with the metadata log, being unfenced).
        // broker.heartbeat.interval.ms stays at Kafka's 2 s: the controller gives each heartbeat half the
        // interval to be processed, and with 200 ms a loaded 2-core machine missed that deadline ("controller
        // event queue overloaded. Timed out heartbeat from broker 1", logged as ERROR) for a 0.6 s faster start.
        props.put("server.max.startup.time.ms", Long.toString(startTimeout.toMillis()));
        return props;
    }
}
