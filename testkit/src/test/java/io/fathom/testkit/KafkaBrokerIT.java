package io.fathom.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class KafkaBrokerIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final StringSerializer SERIALIZER = new StringSerializer();
    private static final StringDeserializer DESERIALIZER = new StringDeserializer();

    private static KafkaBroker brokerBeforeAll;
    private final KafkaBroker broker;

    KafkaBrokerIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @BeforeAll
    static void rememberBroker(KafkaBroker broker) {
        brokerBeforeAll = broker;
    }

    /** The shared broker outlives test classes: every test uses names of its own. */
    private static String unique(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    /** Sends a fine record and one over the broker's 1 MiB limit (record #1), and asserts that the send fails. */
    private static AbstractThrowableAssert<?, ? extends Throwable> assertThatSendingATooLargeRecordFails(
            TestProducer<String, String> producer, String topic) {
        String tooLarge = "x".repeat(2 * 1024 * 1024);
        return assertThatThrownBy(() -> producer.send(
                        List.of(new ProducerRecord<>(topic, "k", "fine"), new ProducerRecord<>(topic, "k", tooLarge))))
                .isInstanceOf(TestkitException.class);
    }

    private static List<ProducerRecord<String, String>> records(String topic, String prefix, int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new ProducerRecord<>(topic, "key-" + i, prefix + "-" + i))
                .toList();
    }

    @Test
    void constructorBeforeAllAndMethodsGetTheSameBroker(KafkaBroker injected) {
        assertThat(injected).isSameAs(broker).isSameAs(brokerBeforeAll);
        assertThat(injected.bootstrapServers()).matches("[\\w.-]+:\\d+(,[\\w.-]+:\\d+)*");
    }

    @Test
    void sharesOneBrokerWithEveryOtherTestClass() {
        assertThat(BrokersSeen.record(broker)).containsExactly(broker);
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly(TestInfo test) {
        String topic = unique(test);
        broker.createTopics(3, topic);

        // A raw transactional producer whose transaction is aborted: read_committed must not see it.
        try (KafkaProducer<String, String> aborted = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        topic + "-aborted"),
                SERIALIZER,
                SERIALIZER)) {
            aborted.initTransactions();
            aborted.beginTransaction();
            records(topic, "aborted", 5).forEach(aborted::send);
            aborted.flush();
            aborted.abortTransaction();
        }
        List<RecordMetadata> sent;
        try (TestProducer<String, String> producer = TestProducer.transactional(
                broker.kafka().producerProperties(), topic + "-committed", SERIALIZER, SERIALIZER)) {
            sent = producer.send(records(topic, "committed", 10));
        }

        List<ConsumerRecord<String, String>> read = Records.drain(
                broker.kafka().consumerProperties(topic), DESERIALIZER, DESERIALIZER, List.of(topic), 10, TIMEOUT);

        assertThat(sent).hasSize(10).allSatisfy(metadata -> assertThat(metadata.topic())
                .isEqualTo(topic));
        assertThat(read)
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
        assertThat(read).allSatisfy(record -> assertThat(record.key())
                .isEqualTo("key-" + record.value().substring("committed-".length())));
    }

    @Test
    void recordsWithOldTimestampsAreKept(TestInfo test) throws Exception {
        String topic = unique(test);
        broker.createTopics(1, topic);

        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get(TopicConfig.RETENTION_MS_CONFIG).value()).isEqualTo("-1");
        }
        long yearAgo = Instant.now().minus(Duration.ofDays(365)).toEpochMilli();
        try (TestProducer<String, String> producer =
                TestProducer.create(broker.kafka().producerProperties(), SERIALIZER, SERIALIZER)) {
            producer.send(List.of(new ProducerRecord<>(topic, null, yearAgo, "k", "old")));
        }
        assertThat(Records.drain(
                        broker.kafka().consumerProperties(topic),
                        DESERIALIZER,
                        DESERIALIZER,
                        List.of(topic),
                        1,
                        TIMEOUT))
                .singleElement()
                .satisfies(record -> assertThat(record.timestamp()).isEqualTo(yearAgo));
    }

    @Test
    void aFailedSendIsReportedNotLost(TestInfo test) {
        String topic = unique(test);
        broker.createTopics(1, topic);

        try (TestProducer<String, String> producer =
                TestProducer.create(broker.kafka().producerProperties(), SERIALIZER, SERIALIZER)) {
            assertThatSendingATooLargeRecordFails(producer, topic)
                    .hasMessageContaining("1 of 2 records failed")
                    .hasMessageContaining("record #1 to topic " + topic)
                    .hasCauseInstanceOf(RecordTooLargeException.class);
        }
    }

    @Test
    void aFailedTransactionIsAbortedAndReported(TestInfo test) {
        String topic = unique(test);
        broker.createTopics(1, topic);

        try (TestProducer<String, String> producer =
                TestProducer.transactional(broker.kafka().producerProperties(), topic, SERIALIZER, SERIALIZER)) {
            assertThatSendingATooLargeRecordFails(producer, topic).hasMessageContaining("record #1");
            producer.send(List.of(new ProducerRecord<>(topic, "k", "after")));
        }
        assertThat(Records.drainUntilIdle(
                        broker.kafka().consumerProperties(topic),
                        DESERIALIZER,
                        DESERIALIZER,
                        List.of(topic),
                        Duration.ofMillis(500),
                        TIMEOUT))
                .extracting(ConsumerRecord::value)
                .containsExactly("after");
    }

    @Test
    void drainUntilIdleWaitsForAWriterThatIsStillRunning(TestInfo test) throws Exception {
        String topic = unique(test);
        broker.createTopics(2, topic);
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (TestProducer<String, String> producer =
                TestProducer.create(broker.kafka().producerProperties(), SERIALIZER, SERIALIZER)) {
            // Ten records, one every 150 ms: the whole run lasts longer than the idle period below.
            for (int i = 0; i < 10; i++) {
                List<ProducerRecord<String, String>> one = List.of(new ProducerRecord<>(topic, "k" + i, "v" + i));
                writer.schedule(() -> producer.send(one), 150L * i, TimeUnit.MILLISECONDS);
            }
            List<ConsumerRecord<String, String>> read = Records.drainUntilIdle(
                    broker.kafka().consumerProperties(topic),
                    DESERIALIZER,
                    DESERIALIZER,
                    List.of(topic),
                    Duration.ofMillis(700),
                    TIMEOUT);

            assertThat(read).hasSize(10);
        } finally {
            writer.shutdown();
            assertThat(writer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void drainFailsLoudlyOnTimeoutAndOnMissingTopics(TestInfo test) {
        String topic = unique(test);
        broker.createTopics(1, topic);

        assertThatThrownBy(() -> Records.drain(
                        broker.kafka().consumerProperties(topic),
                        DESERIALIZER,
                        DESERIALIZER,
                        List.of(topic),
                        1,
                        Duration.ofMillis(500)))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining("expected 1 records from [" + topic + "]")
                .hasMessageContaining("read 0");
        assertThatThrownBy(() -> Records.drain(
                        broker.kafka().consumerProperties(topic),
                        DESERIALIZER,
                        DESERIALIZER,
                        List.of(topic + "-missing"),
                        1,
                        TIMEOUT))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining(topic + "-missing does not exist");
    }

    @Test
    void creatingAnExistingTopicFails(TestInfo test) {
        String topic = unique(test);
        broker.createTopics(1, topic);

        assertThatThrownBy(() -> broker.createTopics(1, topic))
                .isInstanceOf(TestkitException.class)
                .hasMessageContaining(topic);
    }
}
