package io.fathom.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A producer for test fixtures that sends a list of records synchronously and fails loudly: any error a
 * send callback reports becomes a {@link TestkitException}, so a lost batch can never pass unnoticed.
 *
 * <p>It always runs with {@code max.in.flight.requests.per.connection=1}: an idempotent producer right
 * after topic creation can otherwise lose a batch (KAFKA-15591), and the callback is the only sign.
 * A transactional producer sends each list in one transaction, committed only if every send succeeded.
 *
 * <pre>{@code
 * try (var producer = TestProducer.create(broker.kafka().producerProperties(), new StringSerializer(), new StringSerializer())) {
 *     producer.send(List.of(new ProducerRecord<>("events", "k", "v")));
 * }
 * }</pre>
 */
public final class TestProducer<K, V> implements AutoCloseable {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<K, V> producer;
    private final boolean transactional;

    private TestProducer(KafkaProducer<K, V> producer, boolean transactional) {
        this.producer = producer;
        this.transactional = transactional;
    }

    /** A plain (idempotent, if the properties say so) producer. */
    public static <K, V> TestProducer<K, V> create(
            Map<String, Object> producerProps, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        Map<String, Object> props = withOneRequestInFlight(producerProps);
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        return new TestProducer<>(new KafkaProducer<>(props, keySerializer, valueSerializer), false);
    }

    /** A transactional producer with the given {@code transactional.id}, its transactions initialized. */
    public static <K, V> TestProducer<K, V> transactional(
            Map<String, Object> producerProps,
            String transactionalId,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer) {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Map<String, Object> props = withOneRequestInFlight(producerProps);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<K, V> producer = new KafkaProducer<>(props, keySerializer, valueSerializer);
        try {
            producer.initTransactions();
        } catch (KafkaException e) {
            producer.close(Duration.ZERO);
            throw new TestkitException("could not initialize transactions for transactional.id " + transactionalId, e);
        }
        return new TestProducer<>(producer, true);
    }

    private static Map<String, Object> withOneRequestInFlight(Map<String, Object> producerProps) {
        Map<String, Object> props = new HashMap<>(Objects.requireNonNull(producerProps, "producerProps"));
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return props;
    }

    /**
     * Sends the records in order and waits until the broker acknowledged all of them; a transactional
     * producer sends them in one transaction and commits it.
     *
     * @return the metadata of each record, in the order of {@code records}
     * @throws TestkitException if any record failed, naming it and chaining every failure; a transaction
     *     is then aborted
     */
    public List<RecordMetadata> send(List<ProducerRecord<K, V>> records) {
        Objects.requireNonNull(records, "records");
        if (transactional) {
            producer.beginTransaction();
        }
        List<Future<RecordMetadata>> futures = new ArrayList<>(records.size());
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<K, V> record = records.get(i);
            int index = i;
            try {
                futures.add(producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        synchronized (failures) {
                            failures.add(new Failure(index, record, error));
                        }
                    }
                }));
            } catch (KafkaException e) {
                // Serialization errors and a closed or fenced producer are thrown, not called back.
                synchronized (failures) {
                    failures.add(new Failure(index, record, e));
                }
                break;
            }
        }
        producer.flush();
        synchronized (failures) {
            if (!failures.isEmpty()) {
                throw abortWith(failures, records.size());
            }
        }
        if (transactional) {
            try {
                producer.commitTransaction();
            } catch (KafkaException e) {
                throw new TestkitException("could not commit a transaction of " + records.size() + " records", e);
            }
        }
        return metadataOf(futures);
    }

    private TestkitException abortWith(List<Failure> failures, int recordCount) {
        Failure first = failures.get(0);
        TestkitException failure = new TestkitException(
                failures.size() + " of " + recordCount + " records failed to send; first: record #" + first.index()
                        + " to topic " + first.record().topic() + ": " + first.error(),
                first.error());
        failures.stream().skip(1).forEach(other -> failure.addSuppressed(other.error()));
        if (transactional) {
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                failure.addSuppressed(e);
            }
        }
        return failure;
    }

    private static List<RecordMetadata> metadataOf(List<Future<RecordMetadata>> futures) {
        List<RecordMetadata> metadata = new ArrayList<>(futures.size());
        for (Future<RecordMetadata> future : futures) {
            try {
                // Already complete: flush() returned and no callback reported an error.
                metadata.add(future.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestkitException("interrupted while reading send results", e);
            } catch (ExecutionException e) {
                throw new TestkitException("a send failed after its callback reported success", e.getCause());
            }
        }
        return List.copyOf(metadata);
    }

    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }

    private record Failure(int index, ProducerRecord<?, ?> record, Exception error) {}
}
