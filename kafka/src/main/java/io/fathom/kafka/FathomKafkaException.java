package io.fathom.kafka;

/**
 * The one unchecked exception of the module: topics that could not be created or were not served in
 * time, a broker that did not answer. The message names what failed and with which value; the cause is
 * always chained when there is one (the broker's own exception, e.g. {@code TopicExistsException}).
 */
public class FathomKafkaException extends RuntimeException {
    public FathomKafkaException(String message) {
        super(message);
    }

    public FathomKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
