package io.fathom.monitor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.Worker;
import io.fathom.monitor.delivery.WebhookEndpoint.Format;
import io.fathom.monitor.delivery.WebhookReceiver.Answer;
import io.fathom.schemas.AvroCodec;
import io.fathom.schemas.avro.AlertEvent;
import io.fathom.schemas.avro.AlertKind;
import io.fathom.schemas.avro.AlertStatus;
import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.KafkaExtension;
import io.fathom.testkit.Records;
import io.fathom.testkit.TestProducer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KafkaExtension.class)
class AlertDispatcherIT {
    private static final String SECRET_A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SECRET_B =
            "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[24]);
    private static final AvroCodec<AlertEvent> CODEC = AvroCodec.of(AlertEvent.getClassSchema());
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final KafkaBroker broker;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    AlertDispatcherIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = new WebhookReceiver();
        toClose.add(receiver);
        return receiver;
    }

    /** Creates {@code topic} and its dead-letter topic, {@code topic.dlq}, as {@link #dispatcher} uses them. */
    private String topicWithDeadLetters(String topic, int partitions) {
        broker.createTopics(partitions, topic, topic + ".dlq");
        return topic;
    }

    /** Firing drift alerts 0 to {@code count - 1}, each with a fingerprint of its own. */
    private static List<AlertEvent> events(int count) {
        return IntStream.range(0, count).mapToObj(AlertDispatcherIT::event).toList();
    }

    private static AlertEvent event(int i) {
        return AlertEvent.newBuilder()
                .setFingerprint(String.format("%016x", 0xa1e7L + i))
                .setStatus(AlertStatus.firing)
                .setKind(AlertKind.drift)
                .setLabels(Map.of("alertname", "FeatureDrift", "view", "v", "feature", "f" + i, "method", "psi"))
                .setAnnotations(Map.of("summary", "f" + i + " drifted"))
                .setStartsAt(1_793_613_600_000L + i)
                .setEndsAt(null)
                .setValue(0.3)
                .setThreshold(0.2)
                .build();
    }

    private void produce(String topic, List<AlertEvent> events) {
        try (var producer = TestProducer.create(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(events.stream()
                    .map(e -> new ProducerRecord<>(
                            topic, e.getFingerprint().getBytes(StandardCharsets.UTF_8), CODEC.encode(e)))
                    .toList());
        }
    }

    private AlertDispatcherConfigBuilder dispatcher(String topic, String group) {
        return AlertDispatcherConfig.builder()
                .kafka(broker.kafka())
                .groupId(group)
                .topic(topic)
                .deadLetterTopic(topic + ".dlq")
                .closeTimeout(Duration.ofSeconds(15));
    }

    private static Set<String> ids(List<AlertEvent> events) {
        return events.stream().map(e -> AlertMessage.of(e).webhookId()).collect(Collectors.toSet());
    }

    @Test
    void deliversEveryAlertToEveryEndpointSigned() {
        String topic = topicWithDeadLetters("alerts-delivered", 2);
        WebhookReceiver alertmanager = receiver();
        WebhookReceiver json = receiver();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<AlertEvent> events = events(10);

        AlertDispatcher dispatcher = new AlertDispatcher(
                dispatcher(topic, "dispatch-delivered")
                        .endpoints(List.of(
                                WebhookEndpoint.builder("am", alertmanager.url(), Format.ALERTMANAGER)
                                        .secret(SECRET_A)
                                        .allowPrivate(true)
                                        .build(),
                                WebhookEndpoint.builder("json", json.url(), Format.JSON)
                                        .secret(SECRET_B)
                                        .allowPrivate(true)
                                        .build()))
                        .build(),
                meters);
        toClose.add(dispatcher);
        produce(topic, events);

        await().atMost(WAIT)
                .until(() -> meters.counter(AlertDispatcher.DELIVERED_METRIC, "endpoint", "json")
                                .count()
                        == 10);
        assertThat(alertmanager.requests())
                .extracting(r -> r.header("webhook-id"))
                .containsExactlyInAnyOrderElementsOf(ids(events));
        assertThat(json.requests())
                .extracting(r -> r.header("webhook-id"))
                .containsExactlyInAnyOrderElementsOf(ids(events));
        assertThat(alertmanager.requests()).allMatch(r -> WebhookReceiver.signatureValid(r, SECRET_A));
        assertThat(json.requests()).allMatch(r -> WebhookReceiver.signatureValid(r, SECRET_B));
        assertThat(alertmanager.requests()).allMatch(r -> r.bodyText().contains("\"version\":\"4\""));
        assertThat(meters.counter(AlertDispatcher.DELIVERED_METRIC, "endpoint", "am")
                        .count())
                .isEqualTo(10);
        assertThat(dispatcher.state()).isEqualTo(Worker.State.RUNNING);
    }

    @Test
    void aDispatcherStoppedMidDeliveryLosesNothingWhenTheNextStarts() {
        String topic = topicWithDeadLetters("alerts-restart", 1);
        WebhookReceiver receiver = receiver();
        List<AlertEvent> events = events(5);
        Set<String> early = ids(events.subList(0, 2));
        Set<String> delivered = ConcurrentHashMap.newKeySet();
        Set<String> refused = ConcurrentHashMap.newKeySet();
        // the first two alerts go through; then the receiver is down (503) until the dispatcher is replaced
        receiver.answer(request -> {
            String id = request.header("webhook-id");
            if (early.contains(id)) {
                delivered.add(id);
                return Answer.of(200);
            }
            refused.add(id);
            return Answer.of(503);
        });
        WebhookEndpoint endpoint = WebhookEndpoint.builder("ops", receiver.url(), Format.GRAFANA)
                .secret(SECRET_A)
                .allowPrivate(true)
                .maxAttempts(10_000)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20))
                .build();

        AlertDispatcher first = new AlertDispatcher(
                dispatcher(topic, "dispatch-restart")
                        .endpoints(List.of(endpoint))
                        .build(),
                new SimpleMeterRegistry());
        produce(topic, events);
        await().atMost(WAIT).until(() -> delivered.size() == 2 && !refused.isEmpty());
        first.close();
        assertThat(first.state()).isEqualTo(Worker.State.STOPPED);
        assertThat(first.failure()).isEmpty();

        receiver.answer(request -> {
            delivered.add(request.header("webhook-id"));
            return Answer.of(200);
        });
        AlertDispatcher second = new AlertDispatcher(
                dispatcher(topic, "dispatch-restart")
                        .endpoints(List.of(endpoint))
                        .build(),
                new SimpleMeterRegistry());
        toClose.add(second);

        await().atMost(WAIT).until(() -> delivered.equals(ids(events)));
        assertThat(receiver.requests()).allMatch(r -> WebhookReceiver.signatureValid(r, SECRET_A));
        assertThat(second.state()).isEqualTo(Worker.State.RUNNING);
    }

    @Test
    void deadLettersAfterTheLastAttemptOnRejectionAndOnGoneThenDisablesTheGoneEndpoint() {
        String topic = topicWithDeadLetters("alerts-dlq", 1);
        WebhookReceiver down = receiver();
        down.answer(request -> Answer.of(503));
        WebhookReceiver gone = receiver();
        gone.answer(request -> Answer.of(410));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        DeliveryEnvironment environment =
                new DeliveryEnvironment(Clock.systemUTC(), waits::add, new Random(1), EndpointGuard.system());

        AlertDispatcher dispatcher = new AlertDispatcher(
                dispatcher(topic, "dispatch-dlq")
                        .endpoints(List.of(
                                WebhookEndpoint.builder("down", down.url(), Format.ALERTMANAGER)
                                        .allowPrivate(true)
                                        .maxAttempts(3)
                                        .build(),
                                WebhookEndpoint.builder("gone", gone.url(), Format.JSON)
                                        .allowPrivate(true)
                                        .build()))
                        .build(),
                meters,
                environment);
        toClose.add(dispatcher);
        produce(topic, events(2));
        try (var producer = TestProducer.create(
                broker.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(List.of(new ProducerRecord<>(topic, "junk".getBytes(), new byte[] {1, 2, 3})));
        }

        // event 0: down exhausted, gone 410; event 1: down exhausted, gone skipped (disabled); junk: undecodable
        List<ConsumerRecord<String, byte[]>> letters = Records.drain(
                broker.kafka().consumerProperties("dlq-reader"),
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                List.of(topic + ".dlq"),
                4,
                WAIT);

        assertThat(letters)
                .extracting(r -> header(r, DeadLetterHeaders.ENDPOINT) + "/"
                        + header(r, DeadLetterHeaders.REASON) + "/" + header(r, DeadLetterHeaders.STATUS)
                        + "/" + header(r, DeadLetterHeaders.ATTEMPTS))
                .containsExactly(
                        "down/exhausted/503/3", "gone/gone/410/1", "down/exhausted/503/3", "none/undecodable/none/0");
        assertThat(letters.get(0).key()).isEqualTo(event(0).getFingerprint());
        assertThat(CODEC.decode(letters.get(0).value())).isEqualTo(event(0));
        assertThat(header(letters.get(0), DeadLetterHeaders.WEBHOOK_ID))
                .isEqualTo(AlertMessage.of(event(0)).webhookId());
        assertThat(dispatcher.disabledEndpoints()).containsExactly("gone");
        assertThat(gone.requests()).hasSize(1);
        assertThat(waits).hasSize(4);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(meters.counter(AlertDispatcher.FAILED_METRIC, "endpoint", "down", "reason", "exhausted")
                            .count())
                    .isEqualTo(2);
            assertThat(meters.counter(AlertDispatcher.FAILED_METRIC, "endpoint", "gone", "reason", "gone")
                            .count())
                    .isEqualTo(1);
            assertThat(meters.counter(AlertDispatcher.FAILED_METRIC, "endpoint", "gone", "reason", "disabled")
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void refusesToStartWithAPrivateEndpointNotExplicitlyAllowed() {
        WebhookEndpoint local = WebhookEndpoint.of("local", java.net.URI.create("http://127.0.0.1:9/x"), Format.JSON);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AlertDispatcher(
                        dispatcher("alerts-never", "dispatch-never")
                                .endpoints(List.of(local))
                                .build(),
                        new SimpleMeterRegistry()))
                .isInstanceOf(DeliveryException.class)
                .hasMessageContainingAll("'local'", "loopback");
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
