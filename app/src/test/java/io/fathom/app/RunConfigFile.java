package io.fathom.app;

import io.fathom.testkit.KafkaBroker;
import io.fathom.testkit.RedisServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the run configuration the tests' {@code fathom run} uses: a test broker and Redis, API on a free port. */
final class RunConfigFile {
    private RunConfigFile() {}

    /**
     * Writes {@code file}: the definitions (relative to the file), the broker with {@code partitions} per topic, the
     * Redis server, {@code dataDir} (relative to where the run starts, or absolute) and the API on 127.0.0.1, port 0.
     */
    static Path write(
            Path file, String definitions, KafkaBroker broker, int partitions, RedisServer redis, String dataDir)
            throws IOException {
        Files.writeString(
                file,
                "definitions: " + definitions + "\n"
                        + "kafka:\n"
                        + "  bootstrap_servers: " + broker.bootstrapServers() + "\n"
                        + "  partitions: " + partitions + "\n"
                        + "online:\n"
                        + "  redis: " + redis.uri() + "\n"
                        + "data_dir: " + dataDir + "\n"
                        + "http:\n"
                        + "  host: 127.0.0.1\n"
                        + "  port: 0\n");
        return file;
    }
}
