package io.fathom.app.demo;

import io.fathom.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the generator's transactions to a topic at a steady rate, Avro single-object encoded and
 * keyed by user id (so the user view reads them without re-keying). Ten batches a second.
 */
public final class DemoProducer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoProducer.class);
    private static final int TICKS_PER_SECOND = 10;

    private final KafkaProducer<byte[], byte[]> producer;
    private final ScheduledExecutorService ticker;
    private final AtomicLong failed = new AtomicLong();

    /**
     * @param tap sees every generated transaction as it is sent (the demo samples them for its baseline)
     */
    public DemoProducer(
            KafkaSettings kafka,
            String topic,
            TransactionGenerator generator,
            int eventsPerSecond,
            Consumer<GenericRecord> tap) {
        this.producer = BytesProducer.create(kafka, 5);
        BinaryMessageEncoder<GenericRecord> encoder =
                new BinaryMessageEncoder<>(GenericData.get(), generator.next().getSchema());
        int perTick = Math.max(1, eventsPerSecond / TICKS_PER_SECOND);
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fathom-demo-producer"));
        ticker.scheduleAtFixedRate(
                () -> {
                    try {
                        for (int i = 0; i < perTick; i++) {
                            GenericRecord event = generator.next();
                            tap.accept(event);
                            byte[] key = event.get("user_id").toString().getBytes(StandardCharsets.UTF_8);
                            producer.send(
                                    new ProducerRecord<>(
                                            topic, key, encoder.encode(event).array()),
                                    (m, e) -> {
                                        if (e != null && failed.getAndIncrement() == 0) {
                                            LOG.warn(
                                                    "demo producer: a send failed (further failures are not logged)",
                                                    e);
                                        }
                                    });
                        }
                    } catch (Exception e) {
                        LOG.error("demo producer stopped", e);
                        throw new IllegalStateException(e);
                    }
                },
                0,
                1000 / TICKS_PER_SECOND,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        producer.close();
    }
}
