package io.fathom.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.CloseOptions.GroupMembershipOperation;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka Streams application of a component (ingest, the monitor): started at construction; a
 * stream thread's failure stops the whole client and is logged as one line naming the component (Kafka's
 * own lines go to the log file, this one reaches the console of {@code fathom demo} and {@code run}).
 * Closing stops it, waiting up to 30 s, and leaves the consumer group at once (Kafka Streams' default stays a
 * member until the session times out): the partitions move to the other instances without waiting, and a
 * stopped application's group is empty, as a backfill into ingest's state requires.
 *
 * <p>Kafka Streams is an optional dependency of this module: a module that starts one depends on it.
 */
public final class StreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;

    /**
     * @param component the name in the failure line, e.g. {@code ingest}
     * @param properties from {@link KafkaSettings#streamsProperties(String)}, plus the application's own
     */
    public StreamsApp(String component, Topology topology, Properties properties) {
        Objects.requireNonNull(component, "component");
        this.streams = new KafkaStreams(topology, properties);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("{} stopped: {}", component, e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The Kafka Streams instance, for its metrics and state listeners. */
    public KafkaStreams streams() {
        return streams;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT));
    }
}
