package io.fathom.monitor.delivery;

import io.fathom.kafka.DeadLetterHeaders;
import io.fathom.kafka.Worker;
import io.fathom.monitor.delivery.DeliveryResult.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
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

    private final String topic;
    private final String deadLetterTopic;
    private final List<WebhookSender> senders;
    private final Function<byte[], AlertMessage> decoder;
    private final MeterRegistry meters;
    private final Duration closeTimeout;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetters;
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private final Worker worker;

    private AlertDispatcher(Builder builder) {
        this.topic = builder.topic;
        this.deadLetterTopic = builder.deadLetterTopic;
        this.decoder = builder.decoder;
        this.meters = builder.meters;
        this.closeTimeout = builder.closeTimeout;
        this.senders = builder.endpoints.stream()
                .map(endpoint -> WebhookSender.create(endpoint, builder.payloads, builder.environment))
                .toList();
        this.deadLetters =
                new KafkaProducer<>(producerProps(builder), new ByteArraySerializer(), new ByteArraySerializer());
        try {
            this.consumer = new KafkaConsumer<>(
                    consumerProps(builder), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            deadLetters.close(Duration.ZERO);
            throw e;
        }
        consumer.subscribe(List.of(topic));
        this.worker = new Worker("fathom-alert-dispatcher", this::run, consumer::wakeup);
        worker.start();
    }

    /**
     * A dispatcher of the given group; the endpoints are set on the builder.
     *
     * @param bootstrapServers Kafka's {@code bootstrap.servers}
     * @param groupId the consumer group: dispatchers of one group share the alerts' partitions
     */
    public static Builder builder(String bootstrapServers, String groupId) {
        return new Builder(bootstrapServers, groupId);
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
            alert = decoder.apply(record.value());
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

    private static Map<String, Object> consumerProps(Builder builder) {
        Map<String, Object> props = new HashMap<>(builder.consumerProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, builder.groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        props.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int)
                Math.min(Integer.MAX_VALUE, worstCase(builder.endpoints).toMillis()));
        return props;
    }

    private static Map<String, Object> producerProps(Builder builder) {
        Map<String, Object> props = new HashMap<>(builder.producerProperties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, builder.bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // one request in flight: an idempotent producer can otherwise lose a batch right after topic creation
        // (KAFKA-15591)
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
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

    /** The dispatcher's configuration; {@link #build()} checks it and starts the dispatcher. */
    public static final class Builder {
        private final String bootstrapServers;
        private final String groupId;
        private final List<WebhookEndpoint> endpoints = new ArrayList<>();
        private String topic = ALERTS_TOPIC;
        private String deadLetterTopic = DEAD_LETTER_TOPIC;
        private AlertPayloads payloads = AlertPayloads.of("");
        private DeliveryEnvironment environment = DeliveryEnvironment.system();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Function<byte[], AlertMessage> decoder = AlertMessage::decode;
        private Map<String, Object> consumerProperties = Map.of();
        private Map<String, Object> producerProperties = Map.of();
        private Duration closeTimeout = Duration.ofSeconds(30);

        private Builder(String bootstrapServers, String groupId) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
            this.groupId = Objects.requireNonNull(groupId, "groupId");
        }

        public Builder endpoint(WebhookEndpoint endpoint) {
            endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
            return this;
        }

        public Builder endpoints(List<WebhookEndpoint> more) {
            more.forEach(this::endpoint);
            return this;
        }

        /** The alerts topic (default {@value #ALERTS_TOPIC}). */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
            return this;
        }

        /** The dead-letter topic (default {@value #DEAD_LETTER_TOPIC}). */
        public Builder deadLetterTopic(String deadLetterTopic) {
            this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
            return this;
        }

        /** How bodies are rendered, with Fathom's external URL (default: none). */
        public Builder payloads(AlertPayloads payloads) {
            this.payloads = Objects.requireNonNull(payloads, "payloads");
            return this;
        }

        /** Clock, sleeper, random source and guard (default {@link DeliveryEnvironment#system()}). */
        public Builder environment(DeliveryEnvironment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** Where the counters go (default: a registry of its own, read by nobody). */
        public Builder meterRegistry(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** Reads a record value as an alert (default: Avro binary {@code AlertEvent}). */
        public Builder decoder(Function<byte[], AlertMessage> decoder) {
            this.decoder = Objects.requireNonNull(decoder, "decoder");
            return this;
        }

        /** More consumer settings; isolation, auto-commit and poll size are the dispatcher's own. */
        public Builder consumerProperties(Map<String, Object> properties) {
            this.consumerProperties = Map.copyOf(properties);
            return this;
        }

        /** More dead-letter producer settings; acks, idempotence and in-flight requests are the dispatcher's. */
        public Builder producerProperties(Map<String, Object> properties) {
            this.producerProperties = Map.copyOf(properties);
            return this;
        }

        /** How long {@link AlertDispatcher#close()} waits for the thread (default 30 s). */
        public Builder closeTimeout(Duration closeTimeout) {
            this.closeTimeout = Objects.requireNonNull(closeTimeout, "closeTimeout");
            return this;
        }

        /**
         * Checks the endpoints (unique names; addresses allowed by the guard now) and starts the dispatcher.
         *
         * @throws DeliveryException listing every problem
         */
        public AlertDispatcher build() {
            List<String> problems = new ArrayList<>();
            if (endpoints.isEmpty()) {
                problems.add("no endpoint configured");
            }
            Set<String> names = new HashSet<>();
            for (WebhookEndpoint endpoint : endpoints) {
                if (!names.add(endpoint.name())) {
                    problems.add("endpoint name '" + endpoint.name() + "' is used twice");
                }
                try {
                    environment.guard().check(endpoint);
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
            return new AlertDispatcher(this);
        }
    }
}
