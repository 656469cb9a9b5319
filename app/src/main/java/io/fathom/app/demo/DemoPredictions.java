package io.fathom.app.demo;

import io.fathom.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Publishes the fraud model's predictions and labels (JSON) for the demo's transactions. */
public final class DemoPredictions implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final PredictionGenerator generator;
    private final String predictions;
    private final String labels;

    public DemoPredictions(KafkaSettings kafka, String predictions, String labels, PredictionGenerator generator) {
        this.producer = BytesProducer.create(kafka, 20);
        this.generator = generator;
        this.predictions = predictions;
        this.labels = labels;
    }

    /** Scores one transaction of {@code userId}. */
    public void score(long userId) {
        PredictionGenerator.Scored scored = generator.next(userId);
        byte[] key = scored.id().getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(predictions, key, scored.prediction().getBytes(StandardCharsets.UTF_8)));
        producer.send(new ProducerRecord<>(labels, key, scored.label().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
