package io.fathom.ingest;

import io.fathom.ingest.internal.IngestGraph;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.StreamsApp;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Starts ingest: creates the topics it writes (if missing), then runs the {@link IngestTopology} under
 * Kafka Streams as a {@link StreamsApp}, once its source topics exist (until then it waits, and says so once);
 * closing that stops it. The views' watermarks know each source topic's partitions from the start.
 */
public final class IngestService {
    private IngestService() {}

    public static StreamsApp start(
            FeatureDefinitions definitions, IngestConfig config, Clock clock, MeterRegistry registry) {
        IngestTopics topics =
                IngestTopics.defaults(config.applicationId(), config.kafka().partitions());
        try (Admin admin = Admin.create(config.kafka().adminProperties())) {
            Topics.ensure(admin, requiredTopics(definitions, topics, config));
            checkRekeyedPartitions(admin, config, definitions, topics);
        } catch (FathomKafkaException e) {
            throw new IngestException(e.getMessage(), e);
        }
        IngestMetrics metrics = new IngestMetrics(registry);
        return StreamsApp.builder("ingest", config.streamsProperties())
                .sourceTopics(config.kafka(), sourceTopics(definitions))
                .replacements(5, Duration.ofMinutes(10), clock)
                .start(partitions -> IngestGraph.build(
                        definitions,
                        topics,
                        new WatermarkSettings(config.idleTimeout(), partitions),
                        clock,
                        metrics,
                        config.cacheMaxBytes()));
    }

    /** The topics the producers write and ingest reads: it starts once they all exist. */
    public static List<String> sourceTopics(FeatureDefinitions definitions) {
        return definitions.sources().stream()
                .map(SourceDefinition::topic)
                .distinct()
                .toList();
    }

    /**
     * Snapshot and dead-letter topics keep everything (they are the log the stores are rebuilt from);
     * re-keyed event topics use broker append time for retention, so replays of old events are not
     * deleted before they are aggregated.
     */
    static List<TopicSpec> requiredTopics(FeatureDefinitions definitions, IngestTopics topics, IngestConfig config) {
        List<TopicSpec> result = new ArrayList<>();
        result.add(topic(topics.deadLetterTopic(), config).keptForever());
        for (ViewDefinition view : definitions.views()) {
            result.add(topic(topics.snapshots(view), config).keptForever());
            result.add(topic(topics.rekeyed(view), config)
                    .withConfig(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
                    .withConfig(
                            TopicConfig.RETENTION_MS_CONFIG,
                            Long.toString(Duration.ofDays(1).toMillis())));
        }
        return result;
    }

    private static TopicSpec topic(String name, IngestConfig config) {
        return TopicSpec.of(name, config.kafka());
    }

    /**
     * An entity's state lives in partition {@code murmur2(key) % partitions} of its view's re-keyed
     * topic; a topic left by an earlier run with another partition count would scatter entities.
     */
    private static void checkRekeyedPartitions(
            Admin admin, IngestConfig config, FeatureDefinitions definitions, IngestTopics topics) {
        List<String> names = definitions.views().stream().map(topics::rekeyed).toList();
        try {
            List<String> problems = new ArrayList<>();
            admin.describeTopics(names).allTopicNames().get().forEach((name, description) -> {
                int actual = description.partitions().size();
                int configured = config.kafka().partitions();
                if (actual != configured) {
                    problems.add("topic " + name + " has " + actual + " partitions, but ingest is configured for "
                            + configured + " (set partitions to " + actual + ", or delete the topic and the "
                            + "application's state)");
                }
            });
            if (!problems.isEmpty()) {
                throw new IngestException(String.join("; ", problems), null);
            }
        } catch (ExecutionException e) {
            throw new IngestException("cannot describe topics " + names, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while describing topics", e);
        }
    }
}
