package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.MonitorTopics;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import org.apache.kafka.streams.StreamsBuilder;

/** The bias part of the topology, one per bias monitor. */
final class BiasGraph {
    private BiasGraph() {}

    static void build(StreamsBuilder builder, BiasMonitor monitor, MonitorTopics topics, MonitorListener listener) {
        // added in the next step
    }
}
