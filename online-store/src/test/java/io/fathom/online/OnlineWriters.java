package io.fathom.online;

import io.fathom.kafka.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Online writers for the tests that run one against a broker: quick to retry, so outages pass quickly. */
final class OnlineWriters {
    private OnlineWriters() {}

    static OnlineWriter start(OnlineStore store, KafkaSettings kafka, String groupId, List<String> views, Clock clock) {
        return new OnlineWriter(
                store,
                OnlineWriterConfig.builder()
                        .kafka(kafka)
                        .groupId(groupId)
                        .views(views)
                        .retryBackoffMin(Duration.ofMillis(50))
                        .retryBackoffMax(Duration.ofMillis(500))
                        .build(),
                clock);
    }
}
