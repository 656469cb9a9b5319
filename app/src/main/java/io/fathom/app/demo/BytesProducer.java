package io.fathom.app.demo;

import io.fathom.kafka.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The demo's producers of raw bytes: the settings' producer properties, batching for {@code lingerMs}. */
final class BytesProducer {
    private BytesProducer() {}

    static KafkaProducer<byte[], byte[]> create(KafkaSettings kafka, int lingerMs) {
        return new KafkaProducer<>(
                kafka.withClientOverride(ProducerConfig.LINGER_MS_CONFIG, lingerMs)
                        .producerProperties(),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }
}
