package io.fathom.embedded;

import io.fathom.kafka.KafkaSecurity.SaslMechanism;
import io.fathom.kafka.KafkaSecurity.Store;
import io.fathom.kafka.KafkaSecurity.StoreType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration of the one KRaft node: broker and controller in one process, node id 1, a static
 * one-voter quorum, both listeners on {@code 127.0.0.1}, plain text; {@link #secure} adds a secured client
 * listener in front of them.
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

    /** The name of the secured client listener. */
    static final String SECURED = "SECURED";

    /**
     * Adds the listener {@code SECURED://127.0.0.1:securedPort} with the given security in front of the plain
     * text one, which stays for the broker's own traffic and the admin client that creates SCRAM users.
     */
    static void secure(Properties props, ListenerSecurity security, int securedPort) {
        String secured = SECURED + "://" + HOST + ":" + securedPort;
        props.put("listeners", secured + "," + props.getProperty("listeners"));
        props.put("advertised.listeners", secured + "," + props.getProperty("advertised.listeners"));
        props.put(
                "listener.security.protocol.map",
                SECURED + ":" + security.protocol().name + "," + props.getProperty("listener.security.protocol.map"));
        security.keyStore().ifPresent(store -> keyStore(props, store));
        security.saslMechanism().ifPresent(mechanism -> {
            props.put("sasl.enabled.mechanisms", mechanism.kafkaName());
            props.put(
                    "listener.name." + SECURED.toLowerCase(Locale.ROOT) + "."
                            + mechanism.kafkaName().toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                    jaas(mechanism, security.users()));
        });
    }

    private static void keyStore(Properties props, Store store) {
        props.put("ssl.keystore.location", store.path().toAbsolutePath().toString());
        props.put("ssl.keystore.type", store.type().name());
        store.password().ifPresent(password -> {
            if (store.type() != StoreType.PEM) {
                props.put("ssl.keystore.password", password);
            }
            props.put("ssl.key.password", password);
        });
    }

    /** The broker's side of the login: SCRAM's users live in the metadata log, PLAIN's here. */
    private static String jaas(SaslMechanism mechanism, Map<String, String> users) {
        if (mechanism != SaslMechanism.PLAIN) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required;";
        }
        StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
        users.forEach((user, password) -> jaas.append(" user_")
                .append(user)
                .append("=\"")
                .append(password.replace("\\", "\\\\").replace("\"", "\\\""))
                .append('"'));
        return jaas.append(';').toString();
    }
}
