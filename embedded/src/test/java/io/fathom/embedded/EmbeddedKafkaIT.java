package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** One broker with a temporary log directory, shared by the class's tests. */
class EmbeddedKafkaIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final StringSerializer SERIALIZER = new StringSerializer();

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopDeletesTheTemporaryLogDir() {
        Path logDir = kafka.logDir();
        assertThat(logDir.resolve("meta.properties")).isRegularFile();

        kafka.close();

        assertThat(logDir).doesNotExist();
    }

    private static String unique(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    @Test
    void listensOnLoopback() {
        assertThat(kafka.bootstrapServers()).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(kafka.logDir().getFileName().toString()).startsWith("fathom-kafka-");
    }

    @Test
    void createsTopicsWithTheirPartitionsAndNoRetention(TestInfo test) throws Exception {
        String first = unique(test) + "-a";
        String second = unique(test) + "-b";

        kafka.createTopics(3, first, second);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            Map<String, TopicDescription> topics =
                    admin.describeTopics(List.of(first, second)).allTopicNames().get(30, TimeUnit.SECONDS);
            assertThat(topics.values())
                    .allSatisfy(
                            topic -> assertThat(topic.partitions()).hasSize(3).allSatisfy(partition -> {
                                assertThat(partition.leader()).isNotNull();
                                assertThat(partition.replicas()).hasSize(1);
                            }));
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, first);
            assertThat(admin.describeConfigs(List.of(resource))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get(resource)
                            .get(TopicConfig.RETENTION_MS_CONFIG)
                            .value())
                    .isEqualTo("-1");
        }
    }

    @Test
    void readCommittedConsumersSeeCommittedTransactionsOnly(TestInfo test) throws Exception {
        String topic = unique(test);
        kafka.createTopics(3, topic);

        produceInTransaction(topic, "aborted", 5, false);
        produceInTransaction(topic, "committed", 10, true);

        List<ConsumerRecord<String, String>> read =
                Consume.toTheEnd(kafka.kafka().consumerProperties(topic + "-group"), List.of(topic), TIMEOUT);

        assertThat(read)
                .extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrderElementsOf(
                        IntStream.range(0, 10).mapToObj(i -> "committed-" + i).toList());
    }

    /**
     * {@code count} records ({@code key-i}, {@code <name>-i}) in one transaction of the producer {@code
     * <topic>-<name>}, then committed or aborted.
     */
    private void produceInTransaction(String topic, String name, int count, boolean commit) throws Exception {
        Map<String, Object> props = kafka.kafka().producerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-" + name);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, SERIALIZER, SERIALIZER)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, name + "-" + i))
                        .get(30, TimeUnit.SECONDS);
            }
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    @Test
    void creatingAnExistingTopicFailsNamingIt(TestInfo test) {
        String topic = unique(test);
        kafka.createTopics(1, topic);

        assertThatThrownBy(() -> kafka.createTopics(1, topic))
                .isInstanceOf(EmbeddedKafkaException.class)
                .hasMessageContaining(topic)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    @Test
    void rejectsBadTopicArguments() {
        assertThatThrownBy(() -> kafka.createTopics(0, "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was 0");
        assertThatThrownBy(() -> kafka.createTopics(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one topic");
    }

    @Test
    void clientPropertiesAreSafeForAFreshBroker() {
        assertThat(kafka.kafka().producerProperties())
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers())
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        assertThat(kafka.kafka().consumerProperties("g"))
                .containsEntry("group.id", "g")
                .containsEntry("isolation.level", "read_committed")
                .containsEntry("auto.offset.reset", "earliest")
                .containsEntry("enable.auto.commit", false)
                .containsEntry("allow.auto.create.topics", false);
    }
}
