package io.fathom.monitor;

import io.fathom.monitor.internal.MonitorGraph;
import io.fathom.schemas.FeatureDefinitions;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.Topology;

/**
 * The monitoring topology, a pure function of the definitions (see the module README for the diagram):
 *
 * <ul>
 *   <li>baselines: the compacted {@link MonitorTopics#baselines()} topic as a global store, so every
 *       instance judges against the same baseline;
 *   <li>drift: each drift-monitored view's {@code fathom.snapshots.<view>} into tumbling windows per (view,
 *       feature), all of a view's in one task (a topic of one partition is read there directly, any other is
 *       re-keyed by view first), closed by event time after the grace period; at close a report to
 *       {@link MonitorTopics#driftReports()} and, on each firing or resolved transition, an alert to
 *       {@link MonitorTopics#alerts()};
 *   <li>bias: each bias monitor's predictions (and labels, joined by id within the label delay) into
 *       per-window group counts; at close a report to {@link MonitorTopics#biasReports()} and alerts;
 *   <li>malformed inputs to {@link MonitorTopics#deadLetters()} with {@link io.fathom.kafka.DeadLetterHeaders}.
 * </ul>
 *
 * Windows close on event time: on each view's watermark over its snapshot topic's partitions. The injected clock
 * only tells when a silent partition stops holding a watermark back; a run under {@code TopologyTestDriver} with a
 * fixed clock, or of views on one partition, is deterministic. Run it with {@code processing.guarantee=exactly_once_v2}:
 * see {@link MonitorConfig}.
 */
public final class MonitorTopology {
    private MonitorTopology() {}

    /**
     * The topology, telling {@code listener} about every report, alert, dead letter and skipped input.
     *
     * <p>A view whose snapshot topic has a single partition is already partitioned by view, so its windows are kept
     * by the task that reads the topic, without the repartition topic. Such a topic must keep its one partition:
     * given more, it no longer fits the windows' changelogs (one partition), and Kafka Streams refuses them when the
     * monitor next starts ("Existing internal topic ...-changelog has invalid partitions") — reset the application
     * (or give it a new application id) then. Every other view is re-keyed by view, each snapshot carrying its
     * partition, and its windows close by its watermark over those partitions: a partition that has sent nothing
     * for {@code idleTimeout} (by {@code clock}) stops holding it back; until each of a view's partitions has sent
     * or gone idle, its windows do not close (for a view left out of {@code snapshotPartitions}, until the idle
     * timeout has passed, as any partition might still be busy).
     *
     * @param snapshotPartitions view → partition count of its {@code fathom.snapshots.<view>}; a view left out
     *     is re-keyed
     * @throws IllegalArgumentException if a partition count is below 1 or the idle timeout is not positive
     */
    public static Topology build(
            FeatureDefinitions definitions,
            MonitorTopics topics,
            MonitorListener listener,
            Map<String, Integer> snapshotPartitions,
            Duration idleTimeout,
            Clock clock) {
        Objects.requireNonNull(definitions, "definitions");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(snapshotPartitions, "snapshotPartitions");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(clock, "clock");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive, was " + idleTimeout);
        }
        snapshotPartitions.forEach((view, partitions) -> {
            if (partitions == null || partitions < 1) {
                throw new IllegalArgumentException(
                        "the snapshot topic of view " + view + " must have at least 1 partition, was " + partitions);
            }
        });
        return MonitorGraph.build(definitions, topics, listener, Map.copyOf(snapshotPartitions), idleTimeout, clock);
    }
}
