package io.fathom.embedded;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run an {@link EmbeddedKafka} broker; start from {@link #builder()}, preset with the defaults below.
 *
 * @param dataDir the broker's log directory (also its KRaft metadata directory); created and formatted if
 *     needed, reused if already formatted, and kept on close. Empty (the default): a new temporary directory,
 *     deleted on close.
 * @param port the client listener's port on {@code 127.0.0.1}; {@code 0} (the default) picks a free one. The
 *     controller listener always gets a free port of its own.
 * @param startTimeout how long formatting, start-up and the first successful {@code describeCluster} may
 *     take together; default {@link #DEFAULT_START_TIMEOUT}
 * @param security the client listener's TLS or SASL, with its users; then the listener on {@code port} is
 *     that secured one, and a plain-text listener on a free port of its own stays for the broker itself and
 *     {@link EmbeddedKafka#kafka()}. Empty (the default): one plain-text client listener
 */
@RecordBuilder
public record EmbeddedKafkaConfig(
        Optional<Path> dataDir, int port, Duration startTimeout, Optional<ListenerSecurity> security) {

    /** Cold start is 2–5 s on a loaded 2-core machine; this leaves room for a much slower one. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(security, "security");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1..65535, was " + port);
        }
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        }
    }

    /** A temporary data directory, a free port, the default start timeout. */
    public static EmbeddedKafkaConfig defaults() {
        return builder().build();
    }

    /** A builder preset with the defaults; every option has one. */
    public static EmbeddedKafkaConfigBuilder builder() {
        return EmbeddedKafkaConfigBuilder.builder()
                .dataDir(Optional.empty())
                .port(0)
                .startTimeout(DEFAULT_START_TIMEOUT)
                .security(Optional.empty());
    }

    public EmbeddedKafkaConfigBuilder toBuilder() {
        return EmbeddedKafkaConfigBuilder.builder(this);
    }
}
