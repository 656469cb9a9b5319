package io.fathom.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run an {@link EmbeddedKafka} broker.
 *
 * @param dataDir the broker's log directory (also its KRaft metadata directory); created and formatted if
 *     needed, reused if already formatted, and kept on close. Empty: a new temporary directory, deleted on
 *     close.
 * @param port the client listener's port on {@code 127.0.0.1}; {@code 0} picks a free one. The controller
 *     listener always gets a free port of its own.
 * @param startTimeout how long formatting, start-up and the first successful {@code describeCluster} may
 *     take together
 */
public record EmbeddedKafkaConfig(Optional<Path> dataDir, int port, Duration startTimeout) {

    /** Cold start is 2–5 s on a loaded 2-core machine; this leaves room for a much slower one. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

    public EmbeddedKafkaConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startTimeout, "startTimeout");
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

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder builder = new Builder().port(port).startTimeout(startTimeout);
        dataDir.ifPresent(builder::dataDir);
        return builder;
    }

    /** Builds an {@link EmbeddedKafkaConfig}; every option has a default. */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private Duration startTimeout = DEFAULT_START_TIMEOUT;

        private Builder() {}

        /** The broker's log directory, kept on close (default: a temporary directory, deleted on close). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The client port on {@code 127.0.0.1} (default {@code 0}: a free port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How long the broker may take to be ready (default {@link #DEFAULT_START_TIMEOUT}). */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /** @throws IllegalArgumentException if the port or the timeout is out of range */
        public EmbeddedKafkaConfig build() {
            return new EmbeddedKafkaConfig(Optional.ofNullable(dataDir), port, startTimeout);
        }
    }
}
