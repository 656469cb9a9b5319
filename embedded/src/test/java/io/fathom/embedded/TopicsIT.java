package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fathom.kafka.Brokers;
import io.fathom.kafka.FathomKafkaException;
import io.fathom.kafka.TopicSpec;
import io.fathom.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** fathom-kafka's {@code Topics} and {@code Brokers} against a real broker (this module's). */
class TopicsIT {
    private static EmbeddedKafka kafka;
    private static Admin admin;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        admin = Admin.create(kafka.kafka().adminProperties());
    }

    @AfterAll
    static void stop() {
        admin.close(Duration.ofSeconds(5));
        kafka.close();
    }

    private static String unique(TestInfo test) {
        return test.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime();
    }

    private static Map<String, TopicDescription> describe(String... names) throws Exception {
        return admin.describeTopics(List.of(names)).allTopicNames().get(30, TimeUnit.SECONDS);
    }

    @Test
    void ensureCreatesWhatIsMissingAndLeavesWhatExists(TestInfo test) throws Exception {
        String existing = unique(test) + "-existing";
        String missing = unique(test) + "-missing";
        kafka.createTopics(2, existing);

        Topics.ensure(
                admin,
                List.of(
                        TopicSpec.of(existing, 5, (short) 1),
                        TopicSpec.of(missing, 3, (short) 1).compacted(),
                        TopicSpec.of(missing, 7, (short) 1)));

        Map<String, TopicDescription> topics = describe(existing, missing);
        assertThat(topics.get(existing).partitions()).hasSize(2);
        assertThat(topics.get(missing).partitions()).hasSize(3).allMatch(p -> p.leader() != null);
        String policy = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, missing)))
                .all()
                .get(30, TimeUnit.SECONDS)
                .values()
                .iterator()
                .next()
                .get(TopicConfig.CLEANUP_POLICY_CONFIG)
                .value();
        assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);

        Topics.ensure(admin, List.of(TopicSpec.of(missing, 3, (short) 1))); // again: nothing to do
    }

    @Test
    void createRefusesAnExistingTopicNamingIt(TestInfo test) {
        String topic = unique(test);
        Topics.create(admin, List.of(TopicSpec.of(topic, 1, (short) 1)));

        assertThatThrownBy(() -> Topics.create(admin, List.of(TopicSpec.of(topic, 1, (short) 1))))
                .isInstanceOf(FathomKafkaException.class)
                .hasMessageContaining(topic)
                .hasCauseInstanceOf(TopicExistsException.class);
    }

    @Test
    void aTopicTheBrokerRefusesIsAnErrorNamingIt(TestInfo test) {
        String topic = unique(test);

        assertThatThrownBy(() -> Topics.ensure(admin, List.of(TopicSpec.of(topic, 1, (short) 3))))
                .isInstanceOf(FathomKafkaException.class)
                .hasMessageContaining(topic);
    }

    @Test
    void theBrokerAnswers() {
        Brokers.awaitReady(admin, "the embedded broker", Duration.ZERO);
    }
}
