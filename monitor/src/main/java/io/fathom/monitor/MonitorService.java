package io.fathom.monitor;

import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Starts the monitoring application: creates the topics it writes (if missing) — the compacted
 * baselines, reports and alerts kept forever ({@code retention.ms=-1}: reports carry old event times,
 * which time-based retention would delete at once), the dead letters — then runs the
 * {@link MonitorTopology} under exactly-once v2 as a {@link StreamsApp}, feeding {@link MonitorMetrics};
 * closing that stops it. Views whose snapshot topic has a single partition are monitored without the
 * repartition by view (see {@link MonitorTopology#build(FeatureDefinitions, MonitorTopics, MonitorListener,
 * Map)}).
 */
public final class MonitorService {
    private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);

    private MonitorService() {}

    public static StreamsApp start(FeatureDefinitions definitions, MonitorConfig config, MeterRegistry registry) {
        return start(definitions, config, registry, MonitorListener.NONE);
    }

    /** As above, and also tells {@code listener} (e.g. an API's view of the latest reports) what is emitted. */
    public static StreamsApp start(
            FeatureDefinitions definitions, MonitorConfig config, MeterRegistry registry, MonitorListener listener) {
        Map<String, Integer> snapshotPartitions;
        try (Admin admin = Admin.create(config.kafka().adminProperties())) {
            Topics.ensure(admin, requiredTopics(definitions, config));
            snapshotPartitions = snapshotPartitions(admin, definitions);
        } catch (FathomKafkaException e) {
            throw new MonitorException(e.getMessage(), e);
        }
        MonitorListener both = MonitorListeners.both(new MonitorMetrics(registry), listener);
        return new StreamsApp(
                "monitor",
                MonitorTopology.build(definitions, config.topics(), both, snapshotPartitions),
                config.streamsProperties());
    }

    /** The partition count of each drift-monitored view's snapshot topic (which exist by now). */
    static Map<String, Integer> snapshotPartitions(Admin admin, FeatureDefinitions definitions) {
        Map<String, String> topicToView = new HashMap<>();
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof MonitorDefinition.DriftMonitor drift) {
                definitions.view(drift.view()).ifPresent(view -> topicToView.put(view.snapshotTopic(), drift.view()));
            }
        }
        if (topicToView.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, TopicDescription> descriptions = admin.describeTopics(topicToView.keySet())
                    .allTopicNames()
                    .get(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> partitions = new HashMap<>();
            descriptions.forEach((topic, description) -> partitions.put(
                    topicToView.get(topic), description.partitions().size()));
            return partitions;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MonitorException("interrupted while describing the snapshot topics " + topicToView.keySet(), e);
        } catch (ExecutionException e) {
            throw new MonitorException(
                    "cannot describe the snapshot topics " + topicToView.keySet() + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new MonitorException(
                    "the snapshot topics " + topicToView.keySet() + " were not described within " + DESCRIBE_TIMEOUT,
                    e);
        }
    }

    static List<TopicSpec> requiredTopics(FeatureDefinitions definitions, MonitorConfig config) {
        MonitorTopics topics = config.topics();
        List<TopicSpec> result = new ArrayList<>();
        result.add(BaselinePublisher.topic(
                topics.baselines(), 1, (short) config.kafka().replicationFactor()));
        List<String> names = new ArrayList<>(
                List.of(topics.driftReports(), topics.biasReports(), topics.alerts(), topics.deadLetters()));
        // inputs the topology subscribes to must exist, or Streams fails at start
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof MonitorDefinition.DriftMonitor drift) {
                definitions.view(drift.view()).ifPresent(view -> names.add(view.snapshotTopic()));
            } else if (monitor instanceof MonitorDefinition.BiasMonitor bias) {
                names.add(bias.predictions());
                bias.labels().ifPresent(names::add);
            }
        }
        for (String name : names) {
            result.add(TopicSpec.of(name, config.kafka()).keptForever());
        }
        return result;
    }
}
