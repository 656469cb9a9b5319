package io.fathom.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {
    /** What consumers of the dead-letter topics read: never to change. */
    private static final List<String> ON_THE_WIRE = List.of(
            "fathom.dlq.reason",
            "fathom.dlq.message",
            "fathom.dlq.source.topic",
            "fathom.dlq.source.partition",
            "fathom.dlq.source.offset",
            "fathom.dlq.view",
            "fathom.dlq.endpoint",
            "fathom.dlq.status",
            "fathom.dlq.attempts",
            "fathom.dlq.webhook.id");

    @Test
    void theNamesOnTheWireStayAsTheyAre() {
        assertThat(List.of(
                        DeadLetterHeaders.REASON,
                        DeadLetterHeaders.MESSAGE,
                        DeadLetterHeaders.SOURCE_TOPIC,
                        DeadLetterHeaders.SOURCE_PARTITION,
                        DeadLetterHeaders.SOURCE_OFFSET,
                        DeadLetterHeaders.VIEW,
                        DeadLetterHeaders.ENDPOINT,
                        DeadLetterHeaders.STATUS,
                        DeadLetterHeaders.ATTEMPTS,
                        DeadLetterHeaders.WEBHOOK_ID))
                .containsExactlyElementsOf(ON_THE_WIRE);
    }

    @Test
    void writesUtf8TextInOrder() {
        Headers headers = DeadLetterHeaders.of("late", "événement en retard", "events", 3, 42L);
        DeadLetterHeaders.add(headers, DeadLetterHeaders.VIEW, "user_txn");

        assertThat(StreamSupport.stream(headers.spliterator(), false)
                        .map(Header::key)
                        .toList())
                .containsExactlyElementsOf(ON_THE_WIRE.subList(0, 6));
        assertThat(headers.lastHeader(DeadLetterHeaders.MESSAGE).value())
                .isEqualTo("événement en retard".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.SOURCE_OFFSET))
                .contains("42");
        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.ENDPOINT)).isEmpty();
    }

    @Test
    void aMissingValueIsWrittenAsNull() {
        Headers headers = DeadLetterHeaders.of("undecodable", null, "topic");

        assertThat(DeadLetterHeaders.read(headers, DeadLetterHeaders.MESSAGE)).contains("null");
        assertThat(headers.lastHeader(DeadLetterHeaders.SOURCE_PARTITION)).isNull();
    }
}
