package io.fathom.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker on a data directory and a port the caller chose, as {@code fathom demo} runs it. */
class EmbeddedKafkaDataDirIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final StringSerializer SERIALIZER = new StringSerializer();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Test
    void usesTheGivenDirectoryAndPortKeepsTheDataAndStartsAgainOnIt(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("demo").resolve("kafka");
        int port = freePort();

        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                EmbeddedKafkaConfig.builder().dataDir(dataDir).port(port).build())) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(kafka.logDir()).isEqualTo(dataDir);
            assertThat(dataDir.resolve("meta.properties")).isRegularFile();
            assertThat(dataDir.resolve("__cluster_metadata-0")).isDirectory();

            kafka.createTopics(2, "kept");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(kafka.kafka().producerProperties(), SERIALIZER, SERIALIZER)) {
                producer.send(new ProducerRecord<>("kept", "k", "v")).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(dataDir.resolve("meta.properties")).isRegularFile();

        // Formatted already: the second start keeps the log (and may use other ports).
        try (EmbeddedKafka again = EmbeddedKafka.start(
                EmbeddedKafkaConfig.builder().dataDir(dataDir).build())) {
            List<ConsumerRecord<String, String>> read =
                    Consume.toTheEnd(again.kafka().consumerProperties("after-restart"), List.of("kept"), TIMEOUT);

            assertThat(read).extracting(ConsumerRecord::value).containsExactly("v");
            assertThatThrownBy(() -> again.createTopics(2, "kept"))
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("kept");
        }
    }

    @Test
    void aTakenPortIsReportedBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();

            assertThatThrownBy(() -> EmbeddedKafka.start(EmbeddedKafkaConfig.builder()
                            .dataDir(dir.resolve("kafka"))
                            .port(port)
                            .build()))
                    .isInstanceOf(EmbeddedKafkaException.class)
                    .hasMessageContaining("port " + port);
        }
    }
}
