package io.fathom.monitor.delivery;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.Worker;
import io.fathom.monitor.delivery.DeliveryResult.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code fathom.alerts} and delivers every alert to every endpoint, on a thread of its own,
 * from construction until {@link #close()}.
 *
 * <p>At least once: the consumer reads committed records only, commits nothing automatically, and
 * commits a record's offset only after each endpoint has either taken it (2xx) or had it written to the
 * dead-letter topic {@code fathom.alerts.dlq} (with the {@link DeadLetterHeaders}); a dispatcher
 * stopped in between redelivers the record when the next one starts, with the same {@code webhook-id} so
 * receivers can deduplicate. One record is polled at a time, and {@code max.poll.interval.ms} is set
 * above the longest a record can take with every endpoint retrying to its last attempt.
 *
 * <p>An endpoint answering 410 Gone is disabled until restart (logged once): that record is dead-lettered
 * and later ones are skipped for it, counted as {@code fathom.alerts.failed{reason=disabled}}.
 *
 * <p>Metrics: {@code fathom.alerts.delivered{endpoint}}, {@code fathom.alerts.failed{endpoint,reason}},
 * one count per alert and endpoint, reason being a {@link Outcome#code()}.
 */
public final class AlertDispatcher implements AutoCloseable {
    public static final String ALERTS_TOPIC = "fathom.alerts";
    public static final String DEAD_LETTER_TOPIC = "fathom.alerts.dlq";

    public static final String DELIVERED_METRIC = "fathom.alerts.delivered";
    public static final String FAILED_METRIC = "fathom.alerts.failed";

    private static final Logger LOG = LoggerFactory.getLogger(AlertDispatcher.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);
    private static final String NO_ENDPOINT = "none";

    private final String deadLetterTopic;
    private final List<WebhookSender> senders;
    private final MeterRegistry meters;
    private final Duration closeTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Worker worker;

    /** A dispatcher on the system's clock, sleeper, random source and guard, counting into {@code meters}. */
    public AlertDispatcher(AlertDispatcherConfig config, MeterRegistry meters) {
        this(config, meters, DeliveryEnvironment.system());
    }

    /**
     * Checks the endpoints' addresses with the environment's guard and starts the dispatcher.
     *
     * @param environment clock, sleeper, random source and guard (tests inject them, so they never wait)
     * @throws DeliveryException listing every endpoint whose address the guard refuses
     */
    public AlertDispatcher(AlertDispatcherConfig config, MeterRegistry meters, DeliveryEnvironment environment) {
        Objects.requireNonNull(config, "config");
        this.meters = Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(environment, "environment");
        checkAddresses(config.endpoints(), environment.guard());
        this.deadLetterTopic = config.deadLetterTopic();
        this.closeTimeout = config.closeTimeout();
        this.senders = config.endpoints().stream()
                .map(endpoint -> WebhookSender.create(endpoint, config.payloads(), environment))
                .toList();
        this.deadLetters = new KafkaProducer<>(
                config.kafka().producerProperties(), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            this.consumer = new KafkaConsumer<>(
                    consumerProps(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            deadLetters.close(Duration.ZERO);
            throw e;
        }
        consumer.subscribe(List.of(config.topic()));
        this.worker = new Worker("fathom-alert-dispatcher", this::run, consumer::wakeup);
        worker.start();
    }

    /** Every endpoint's address is allowed by the guard now (it is checked again before every request). */
    private static void checkAddresses(List<WebhookEndpoint> endpoints, EndpointGuard guard) {
        List<String> problems = new ArrayList<>();
        for (WebhookEndpoint endpoint : endpoints) {
            try {
                guard.check(endpoint);
            } catch (DeliveryException e) {
                problems.add(e.getMessage());
            } catch (UnknownHostException e) {
                // DNS may be down for a moment: checked again before every request
                LOG.warn("endpoint '{}': its host does not resolve now", endpoint.name());
            }
        }
        if (!problems.isEmpty()) {
            throw new DeliveryException("cannot start the alert dispatcher: " + String.join("; ", problems));
        }
    }

    /**
     * {@link Worker.State#RUNNING} from construction until {@link #close()} ({@link Worker.State#STOPPED}) or a
     * fatal error ({@link Worker.State#FAILED}).
     */
    public Worker.State state() {
        return worker.state();
    }

    /** What stopped the dispatcher, if it stopped on its own (Kafka unreachable, dead-letter write failed). */
    public Optional<Throwable> failure() {
        return worker.failure();
    }

    /** Names of the endpoints disabled by a 410 Gone. */
    public Set<String> disabledEndpoints() {
        return Set.copyOf(disabled);
    }

    /** The loop; undelivered alerts (offsets not committed) are delivered on the next start. */
    private void run() throws InterruptedException {
        try {
            while (!worker.stopRequested()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    handle(record);
                    consumer.commitSync(Map.of(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } finally {
            // the interrupt of close() must not abort the clients' own close
            Thread.interrupted();
            consumer.close(Duration.ofSeconds(5));
            deadLetters.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) throws InterruptedException {
        AlertMessage alert;
        try {
            alert = AlertMessage.decode(record.value());
        } catch (RuntimeException e) {
            LOG.warn(
                    "record {}-{}@{} is not an alert; dead-lettered",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e);
            meters.counter(FAILED_METRIC, "endpoint", NO_ENDPOINT, "reason", Outcome.UNDECODABLE.code())
                    .increment();
            deadLetter(
                    record,
                    NO_ENDPOINT,
                    new DeliveryResult(Outcome.UNDECODABLE, 0, java.util.OptionalInt.empty()),
                    "",
                    String.valueOf(e.getMessage()));
            return;
        }
        for (WebhookSender sender : senders) {
            String name = sender.endpoint().name();
            if (disabled.contains(name)) {
                failed(name, Outcome.DISABLED);
                continue;
            }
            DeliveryResult result = sender.deliver(alert);
            if (result.delivered()) {
                meters.counter(DELIVERED_METRIC, "endpoint", name).increment();
                continue;
            }
            if (result.outcome() == Outcome.GONE && disabled.add(name)) {
                LOG.warn("endpoint '{}' answered 410 Gone: disabled until restart", name);
            }
            failed(name, result.outcome());
            deadLetter(
                    record,
                    name,
                    result,
                    alert.webhookId(),
                    "endpoint '" + name + "': " + result.outcome().code());
        }
    }

    private void failed(String endpoint, Outcome outcome) {
        meters.counter(FAILED_METRIC, "endpoint", endpoint, "reason", outcome.code())
                .increment();
    }

    /** Writes the record to the dead-letter topic and waits for the broker's acknowledgement. */
    private void deadLetter(
            ConsumerRecord<byte[], byte[]> record,
            String endpoint,
            DeliveryResult result,
            String webhookId,
            String message)
            throws InterruptedException {
        Headers headers = DeadLetterHeaders.of(
                result.outcome().code(), message, record.topic(), record.partition(), record.offset());
        DeadLetterHeaders.add(headers, DeadLetterHeaders.ENDPOINT, endpoint);
        DeadLetterHeaders.add(
                headers,
                DeadLetterHeaders.STATUS,
                result.lastStatus().isPresent()
                        ? Integer.toString(result.lastStatus().getAsInt())
                        : "none");
        DeadLetterHeaders.add(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(result.attempts()));
        DeadLetterHeaders.add(headers, DeadLetterHeaders.WEBHOOK_ID, webhookId);
        ProducerRecord<byte[], byte[]> letter =
                new ProducerRecord<>(deadLetterTopic, null, null, record.key(), record.value(), headers);
        try {
            deadLetters.send(letter).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new DeliveryException(
                    "cannot write record " + record.topic() + "-" + record.partition() + "@" + record.offset() + " to "
                            + deadLetterTopic + "; its offset stays uncommitted",
                    e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
        }
    }

    /** Stops the thread (interrupting a request or a backoff wait in flight) and closes the Kafka clients. */
    @Override
    public void close() {
        worker.stop();
        worker.interrupt();
        try {
            if (!worker.join(closeTimeout)) {
                LOG.warn("alert dispatcher thread did not stop within {}", closeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * fathom-kafka's consumer properties (read committed, no auto-commit, earliest), one record per poll, and
     * a poll interval above the longest a record can take.
     */
    private static Map<String, Object> consumerProps(AlertDispatcherConfig config) {
        Map<String, Object> props = config.kafka().consumerProperties(config.groupId());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int)
                Math.min(Integer.MAX_VALUE, worstCase(config.endpoints()).toMillis()));
        return props;
    }

    /** The longest one record can take: every endpoint timing out on every attempt, with the longest waits. */
    static Duration worstCase(List<WebhookEndpoint> endpoints) {
        Duration total = Duration.ofMinutes(1);
        for (WebhookEndpoint endpoint : endpoints) {
            total = total.plus(endpoint.timeout().multipliedBy(endpoint.maxAttempts()))
                    .plus(endpoint.maxBackoff().multipliedBy(endpoint.maxAttempts() - 1L));
        }
        return total;
    }
}
