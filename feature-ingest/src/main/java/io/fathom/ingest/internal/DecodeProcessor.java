package io.fathom.ingest.internal;

import io.fathom.core.EntityKey;
import io.fathom.core.EventTimes;
import io.fathom.core.decode.EventDecoder;
import io.fathom.ingest.IngestMetrics;
import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.schemas.SourceDefinition;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First stage for one source: decodes each event, reads its event time, and for each view of the
 * source takes the entity key and forwards the event keyed by it, straight to the view when it is
 * already in the entity's home partition, else through the view's re-keyed topic. An event that cannot be decoded or
 * has no usable timestamp goes to the dead-letter topic once; one without a usable key for some view
 * goes there once per such view, and still reaches the other views. Anything else thrown while decoding or
 * keying one event sends it there too, as {@value UnexpectedErrors#REASON} ({@link UnexpectedErrors}); what the
 * views downstream throw is not caught here.
 */
final class DecodeProcessor implements Processor<byte[], byte[], Object, Object> {
    private final SourceDefinition source;
    private final EventDecoder decoder;
    private final List<ViewRoute> routes;
    private final String deadLetterNode;
    private final IngestMetrics metrics;
    private final Counter events;
    private final int partitions;
    private final UnexpectedErrors unexpected;
    private ProcessorContext<Object, Object> context;

    DecodeProcessor(
            SourceDefinition source,
            EventDecoder decoder,
            List<ViewRoute> routes,
            String deadLetterNode,
            IngestMetrics metrics,
            int partitions) {
        this.source = source;
        this.decoder = decoder;
        this.routes = List.copyOf(routes);
        this.deadLetterNode = deadLetterNode;
        this.metrics = metrics;
        this.events = metrics.events(source.name());
        this.partitions = partitions;
        this.unexpected = new UnexpectedErrors("source " + source.name());
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        events.increment();
        RecordMetadata position = context.recordMetadata().orElseThrow();
        Map<String, Object> fields;
        long eventTs;
        try {
            fields = decoder.decode(record.value());
            eventTs = EventTimes.parse(fields.get(source.timestampField()));
        } catch (RuntimeException e) {
            deadLetter(record, position, unexpected.rejection(e), null);
            return;
        }
        for (ViewRoute route : routes) {
            String key;
            try {
                key = EntityKey.of(route.entity(), fields).encoded();
            } catch (RuntimeException e) {
                deadLetter(
                        record, position, unexpected.rejection(e), route.view().name());
                continue;
            }
            RoutedEvent event =
                    new RoutedEvent(eventTs, fields, position.topic(), position.partition(), position.offset());
            String next = isHome(record.key(), key, position.partition()) ? route.aggregateNode() : route.rekeyNode();
            context.forward(new Record<>(key, event, record.timestamp()), next);
        }
    }

    /**
     * Whether the event is already keyed by this entity and sits in the partition the entity's state
     * lives in (the default partitioner's {@code murmur2(key) % partitions}); then it skips the
     * re-keyed topic. Producers that key events by entity get this for free.
     */
    private boolean isHome(byte[] recordKey, String entityKey, int partition) {
        if (recordKey == null) {
            return false;
        }
        byte[] keyBytes = entityKey.getBytes(StandardCharsets.UTF_8);
        return Arrays.equals(recordKey, keyBytes)
                && Utils.toPositive(Utils.murmur2(keyBytes)) % partitions == partition;
    }

    private void deadLetter(
            Record<byte[], byte[]> record, RecordMetadata position, UnexpectedErrors.Rejection why, String view) {
        metrics.deadLetter(why.reason(), source.name());
        context.forward(
                DeadLetter.of(
                        record.key(),
                        record.value(),
                        record.timestamp(),
                        why.reason(),
                        why.message(),
                        position.topic(),
                        position.partition(),
                        position.offset(),
                        view),
                deadLetterNode);
    }
}
