package io.fathom.offline;

import io.fathom.kafka.KafkaSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * An offline writer in a process of its own, for the crash tests: {@code WriterProcess <bootstrap>
 * <root> <group> <suffix> [<source topic>]} writes the views of {@code TestViews.definitions(suffix, topic, ...)},
 * and archives their source topic, until killed.
 * Files roll every 300 rows or second, so a kill finds committed files and one being written.
 */
public final class WriterProcess {
    private WriterProcess() {}

    public static void main(String[] args) throws InterruptedException {
        OfflineWriterConfig config = config(args[0], Path.of(args[1]), args[2], args[3]);
        OfflineWriter writer = new OfflineWriter(
                TestViews.definitions(
                        args[3], args.length > 4 ? args[4] : "unused", Duration.ofMinutes(20), Duration.ofMinutes(3)),
                config,
                Clock.systemUTC());
        System.out.println("writer started");
        new CountDownLatch(1).await(); // until killed
        writer.close();
    }

    static OfflineWriterConfig config(String bootstrap, Path root, String group, String suffix) {
        return OfflineWriterConfig.builder()
                .kafka(KafkaSettings.builder()
                        .bootstrapServers(bootstrap)
                        // A killed member's partitions are handed on after the session timeout: keep it short.
                        .clientOverrides(Map.of("session.timeout.ms", 6000, "heartbeat.interval.ms", 1000))
                        .build())
                .store(OfflineStoreConfig.builder(root).build())
                .groupId(group)
                .views(List.of("user_pay" + suffix))
                .rollRows(300)
                .rollBytes(64L << 20)
                .rollInterval(Duration.ofSeconds(1))
                .pollTimeout(Duration.ofMillis(100))
                .build();
    }
}
