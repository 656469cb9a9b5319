package io.fathom.monitor;

import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * Starts the monitoring application: creates the topics it writes (if missing) — the compacted
 * baselines, reports and alerts kept forever ({@code retention.ms=-1}: reports carry old event times,
 * which time-based retention would delete at once), the dead letters — and the snapshot topics of the views it
 * watches (Fathom's own: ingest writes them), then runs the {@link MonitorTopology} under exactly-once v2 as a
 * {@link StreamsApp}, feeding {@link MonitorMetrics}, once its inputs exist: the bias monitors' predictions and
 * labels are other applications' topics, which it waits for (saying once which) instead of creating them. Closing
 * that stops it. Views whose snapshot topic has a single partition are monitored without the repartition by view
 * (see {@link MonitorTopology#build}).
 */
public final class MonitorService {
    private MonitorService() {}

    public static StreamsApp start(
            FeatureDefinitions definitions, MonitorConfig config, Clock clock, MeterRegistry registry) {
        return start(definitions, config, clock, registry, MonitorListener.NONE);
    }

    /**
     * As above, and also tells {@code listener} (e.g. an API's view of the latest reports) what is emitted. {@code
     * clock} measures how long a snapshot partition has been silent (see {@link MonitorTopology}).
     */
    public static StreamsApp start(
            FeatureDefinitions definitions,
            MonitorConfig config,
            Clock clock,
            MeterRegistry registry,
            MonitorListener listener) {
        try (Admin admin = Admin.create(config.kafka().adminProperties())) {
            Topics.ensure(admin, requiredTopics(definitions, config));
        } catch (FathomKafkaException e) {
            throw new MonitorException(e.getMessage(), e);
        }
        MonitorListener both = MonitorListeners.both(new MonitorMetrics(registry), listener);
        Map<String, String> snapshotTopicToView = snapshotTopics(definitions);
        List<String> inputs = new ArrayList<>(snapshotTopicToView.keySet());
        inputs.addAll(biasInputs(definitions));
        return StreamsApp.builder("monitor", config.streamsProperties())
                .sourceTopics(config.kafka(), inputs)
                .start(partitions -> MonitorTopology.build(
                        definitions,
                        config.topics(),
                        both,
                        snapshotPartitions(snapshotTopicToView, partitions),
                        config.idleTimeout(),
                        clock));
    }

    /** The snapshot topic of each drift-monitored view, and its view. */
    static Map<String, String> snapshotTopics(FeatureDefinitions definitions) {
        Map<String, String> topicToView = new TreeMap<>();
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof MonitorDefinition.DriftMonitor drift) {
                definitions.view(drift.view()).ifPresent(view -> topicToView.put(view.snapshotTopic(), drift.view()));
            }
        }
        return topicToView;
    }

    /** The bias monitors' predictions and labels topics: other applications write them. */
    public static List<String> biasInputs(FeatureDefinitions definitions) {
        List<String> names = new ArrayList<>();
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof MonitorDefinition.BiasMonitor bias) {
                names.add(bias.predictions());
                bias.labels().ifPresent(names::add);
            }
        }
        return names.stream().distinct().toList();
    }

    /** The partition count of each drift-monitored view's snapshot topic, by view. */
    private static Map<String, Integer> snapshotPartitions(
            Map<String, String> topicToView, Map<String, Integer> topicPartitions) {
        Map<String, Integer> partitions = new HashMap<>();
        topicToView.forEach((topic, view) -> partitions.put(view, topicPartitions.get(topic)));
        return partitions;
    }

    static List<TopicSpec> requiredTopics(FeatureDefinitions definitions, MonitorConfig config) {
        MonitorTopics topics = config.topics();
        List<TopicSpec> result = new ArrayList<>();
        result.add(BaselinePublisher.topic(
                topics.baselines(), 1, (short) config.kafka().replicationFactor()));
        List<String> names = new ArrayList<>(
                List.of(topics.driftReports(), topics.biasReports(), topics.alerts(), topics.deadLetters()));
        names.addAll(snapshotTopics(definitions).keySet());
        for (String name : names) {
            result.add(TopicSpec.of(name, config.kafka()).keptForever());
        }
        return result;
    }
}
