package io.fathom.embedded;

/**
 * The one unchecked exception of the module: a broker that would not format, start, become ready or stop,
 * and topics that could not be created or were not served in time. The message names what failed and
 * with which value; the cause is always chained when there is one.
 */
public class EmbeddedKafkaException extends RuntimeException {
    public EmbeddedKafkaException(String message) {
        super(message);
    }

    public EmbeddedKafkaException(String message, Throwable cause) {
        super(message, cause);
    }
}
