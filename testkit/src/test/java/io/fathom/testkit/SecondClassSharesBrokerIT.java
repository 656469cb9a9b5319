package io.fathom.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A second class: whichever of it and {@link KafkaBrokerIT} runs last checks that they got one broker. */
@ExtendWith(KafkaExtension.class)
class SecondClassSharesBrokerIT {

    @Test
    void getsTheBrokerOfEveryOtherTestClass(KafkaBroker broker) {
        assertThat(BrokersSeen.record(broker)).containsExactly(broker);
    }

    @Test
    void plainIdempotentProducerRightAfterCreateTopicsLosesNothing(KafkaBroker broker) {
        // KAFKA-15591: the first batches after topic creation were where records went missing.
        for (int round = 0; round < 5; round++) {
            String topic = "fresh-topic-" + round + "-" + System.nanoTime();
            broker.createTopics(4, topic);
            List<ProducerRecord<String, String>> records = IntStream.range(0, 200)
                    .mapToObj(i -> new ProducerRecord<>(topic, "key-" + i, "value-" + i))
                    .toList();
            try (TestProducer<String, String> producer = TestProducer.create(
                    broker.kafka().producerProperties(), new StringSerializer(), new StringSerializer())) {
                producer.send(records);
            }
            assertThat(Records.drain(
                            broker.kafka().consumerProperties(topic),
                            new StringDeserializer(),
                            new StringDeserializer(),
                            List.of(topic),
                            200,
                            Duration.ofSeconds(30)))
                    .hasSize(200);
        }
    }
}
