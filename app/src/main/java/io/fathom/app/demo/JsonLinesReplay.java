package io.fathom.app.demo;

import io.fathom.kafka.KafkaSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a file of JSON events, one per line and in event-time order, to a topic as fast as the
 * broker takes them, on its own thread. Blank lines are skipped; every line is sent as it is (ingest
 * decides what is valid and dead-letters the rest).
 */
public final class JsonLinesReplay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesReplay.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile long sent;

    public JsonLinesReplay(KafkaSettings kafka, String topic, Path file) {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("--events: cannot read " + file);
        }
        this.producer = BytesProducer.create(kafka, 5);
        this.thread = new Thread(() -> replay(topic, file), "fathom-demo-replay");
        thread.setDaemon(true);
        thread.start();
    }

    private void replay(String topic, Path file) {
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null && !Thread.currentThread().isInterrupted()) {
                if (!line.isBlank()) {
                    producer.send(new ProducerRecord<>(topic, line.getBytes(StandardCharsets.UTF_8)));
                    sent++;
                }
            }
            producer.flush();
            LOG.info("replayed {} events from {}", sent, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        producer.close();
    }
}
