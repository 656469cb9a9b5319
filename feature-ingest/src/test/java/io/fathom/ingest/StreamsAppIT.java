package io.fathom.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.StreamsApp;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.TestProducer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * fathom-kafka's {@link StreamsApp} on the real broker (here, where Kafka Streams and the testkit are at hand): it
 * waits for a missing source topic and builds its topology from the partitions it then has; a stream thread that
 * fails is replaced and the application goes on; one that keeps failing stops the client, saying why.
 */
@ExtendWith(KafkaExtension.class)
class StreamsAppIT {
    @TempDir
    Path stateDir;

    private final String suffix = Long.toString(System.nanoTime());

    private Properties properties(KafkaBroker broker, String application) {
        Properties properties = broker.kafka().streamsProperties(application + "-" + suffix);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        return properties;
    }

    /** Reads {@code topic} and hands each value to {@code process}. */
    private static Topology reading(String topic, java.util.function.Consumer<String> process) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()))
                .foreach((key, value) -> process.accept(value));
        return builder.build();
    }

    private static void produce(KafkaBroker broker, String topic, String... values) {
        try (TestProducer<String, String> producer = TestProducer.create(
                broker.kafka().producerProperties(), new StringSerializer(), new StringSerializer())) {
            producer.send(List.of(values).stream()
                    .map(v -> new ProducerRecord<String, String>(topic, "k", v))
                    .toList());
        }
    }

    @Test
    void waitsForAMissingSourceTopicAndStartsOnceItExists(KafkaBroker broker) {
        String topic = "late-topic-" + suffix;
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicReference<Map<String, Integer>> partitions = new AtomicReference<>();
        try (StreamsApp app = StreamsApp.builder("waiter", properties(broker, "waiter"))
                .sourceTopics(broker.kafka(), List.of(topic))
                .pollInterval(Duration.ofMillis(100))
                .start(sourcePartitions -> {
                    partitions.set(sourcePartitions);
                    return reading(topic, seen::add);
                })) {
            assertThat(app.notRunning()).contains("waiting for source topics [" + topic + "] to be created");
            assertThat(app.state()).isEqualTo(KafkaStreams.State.CREATED);
            assertThatThrownBy(app::streams).isInstanceOf(IllegalStateException.class);
            AtomicReference<KafkaStreams> started = new AtomicReference<>();
            app.whenStarted(started::set);

            broker.createTopics(3, topic);
            produce(broker, topic, "a", "b");

            await("the application runs").atMost(Duration.ofSeconds(60)).until(() -> app.notRunning()
                    .isEmpty());
            await("both records processed").atMost(Duration.ofSeconds(60)).until(() -> seen.size() >= 2);
            assertThat(partitions.get()).isEqualTo(Map.of(topic, 3));
            assertThat(started.get()).isSameAs(app.streams());
            assertThat(seen).containsExactly("a", "b");
        }
    }

    @Test
    void aFailedStreamThreadIsReplacedAndTheApplicationGoesOn(KafkaBroker broker) {
        String topic = "flaky-" + suffix;
        broker.createTopics(1, topic);
        Queue<String> seen = new ConcurrentLinkedQueue<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        try (StreamsApp app = StreamsApp.builder("flaky", properties(broker, "flaky"))
                .sourceTopics(broker.kafka(), List.of(topic))
                .start(reading(topic, value -> {
                    if (value.equals("boom") && failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("a transient failure");
                    }
                    seen.add(value);
                }))) {
            produce(broker, topic, "a", "boom", "b");

            await("every record processed after the replacement")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> seen.contains("b") && seen.contains("boom"));
            assertThat(failedOnce).isTrue();
            await("running again").atMost(Duration.ofSeconds(60)).until(() -> app.notRunning()
                    .isEmpty());
        }
    }

    @Test
    void aThreadThatKeepsFailingStopsTheClientAndSaysWhy(KafkaBroker broker) {
        String topic = "poison-" + suffix;
        broker.createTopics(1, topic);
        try (StreamsApp app = StreamsApp.builder("poisoned", properties(broker, "poisoned"))
                .sourceTopics(broker.kafka(), List.of(topic))
                .replacements(2, Duration.ofMinutes(10), Clock.systemUTC())
                .start(reading(topic, value -> {
                    throw new IllegalStateException("cannot process " + value);
                }))) {
            produce(broker, topic, "poison");

            // the stopped stream thread dies of its exception: expected here, not a failure of the test
            await("the client stops after the third failure")
                    .dontCatchUncaughtExceptions()
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> app.notRunning()
                            .filter(why -> why.startsWith("stopped: "))
                            .isPresent());
            assertThat(app.notRunning().orElseThrow()).contains("cannot process poison");
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            app::state,
                            state -> state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING);
        }
    }
}
