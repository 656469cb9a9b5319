package io.fathom.monitor;

import io.fathom.monitor.internal.MonitorGraph;
import io.fathom.schemas.FeatureDefinitions;
import java.util.Objects;
import org.apache.kafka.streams.Topology;

/**
 * The monitoring topology, a pure function of the definitions (see the module README for the diagram):
 *
 * <ul>
 *   <li>baselines: the compacted {@link MonitorTopics#baselines()} topic as a global store, so every
 *       instance judges against the same baseline;
 *   <li>drift: each drift-monitored view's {@code fathom.snapshots.<view>}, re-keyed by view, into tumbling
 *       windows per (view, feature) closed by event time after the grace period; at close a report to
 *       {@link MonitorTopics#driftReports()} and, on each firing or resolved transition, an alert to
 *       {@link MonitorTopics#alerts()};
 *   <li>bias: each bias monitor's predictions (and labels, joined by id within the label delay) into
 *       per-window group counts; at close a report to {@link MonitorTopics#biasReports()} and alerts;
 *   <li>malformed inputs to {@link MonitorTopics#deadLetters()} with {@link io.fathom.kafka.DeadLetterHeaders}.
 * </ul>
 *
 * No wall clock is involved: windows close on event time only, so a run under
 * {@code TopologyTestDriver} is deterministic. Run it with {@code processing.guarantee=exactly_once_v2}:
 * see {@link MonitorConfig}.
 */
public final class MonitorTopology {
    private MonitorTopology() {}

    public static Topology build(FeatureDefinitions definitions, MonitorTopics topics) {
        return build(definitions, topics, MonitorListener.NONE);
    }

    /** The topology, telling {@code listener} about every report, alert, dead letter and skipped input. */
    public static Topology build(FeatureDefinitions definitions, MonitorTopics topics, MonitorListener listener) {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(listener, "listener");
        return MonitorGraph.build(definitions, topics, listener);
    }
}
