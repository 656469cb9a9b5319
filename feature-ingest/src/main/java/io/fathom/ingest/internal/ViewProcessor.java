package io.fathom.ingest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fathom.core.TileAggregator;
import io.fathom.ingest.IngestMetrics;
import io.fathom.ingest.internal.avro.RoutedEvent;
import io.fathom.schemas.EncodedState;
import io.fathom.schemas.EntityStateCodec;
import io.fathom.schemas.SnapshotCodec;
import io.fathom.schemas.VersionedState;
import io.fathom.schemas.avro.EntityState;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Second stage for one view, keyed by entity: adds the event to the entity's tile state (kept in a
 * changelogged RocksDB store) and emits the entity's {@code FeatureSnapshot}, evaluated at its latest
 * event time (the store keeps recent states in memory, {@link WriteBehindStore}). An event is judged against the task's watermark ({@link TaskWatermark}), which the event's source
 * partition moves first (a late one too, which cannot move it). Each update adds 1 to the entity's version,
 * kept with the state ({@link VersionedState}) and carried by the snapshot, so the online stores can tell a
 * later state from an earlier one with the same times. The state is encoded once per update, for the store and
 * the snapshot alike ({@link SnapshotCodec#encode} splices the state's bytes into the snapshot). Events the view
 * rejects (too late, wrong type) go to the dead-letter topic as JSON, and change neither the state nor its
 * version; so does one whose state or snapshot throws anything else (a state stored under another layout of the
 * view, say), as {@value UnexpectedErrors#REASON} ({@link UnexpectedErrors}). The state is written and the snapshot
 * sent only once both are built.
 */
final class ViewProcessor implements Processor<String, RoutedEvent, Object, Object> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TileAggregator aggregator;
    private final String storeName;
    private final String snapshotNode;
    private final String deadLetterNode;
    private final String sourceName;
    private final TaskWatermark watermark;
    private final Clock clock;
    private final IngestMetrics metrics;
    private final String view;
    private final Counter snapshots;
    private final UnexpectedErrors unexpected;
    private ProcessorContext<Object, Object> context;
    private final EntityStateCodec stateCodec = new EntityStateCodec();
    private final SnapshotCodec snapshotCodec = new SnapshotCodec();
    private KeyValueStore<String, byte[]> store;

    ViewProcessor(
            TileAggregator aggregator,
            String storeName,
            String snapshotNode,
            String deadLetterNode,
            String sourceName,
            TaskWatermark watermark,
            Clock clock,
            IngestMetrics metrics) {
        this.aggregator = aggregator;
        this.storeName = storeName;
        this.snapshotNode = snapshotNode;
        this.deadLetterNode = deadLetterNode;
        this.sourceName = sourceName;
        this.watermark = watermark;
        this.clock = clock;
        this.metrics = metrics;
        this.view = aggregator.plan().view().name();
        this.snapshots = metrics.snapshots(view);
        this.unexpected = new UnexpectedErrors("view " + view);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        watermark.init(context);
    }

    @Override
    public void process(Record<String, RoutedEvent> record) {
        RoutedEvent event = record.value();
        long judgedBy = watermark.observe(event.getSourcePartition(), event.getEventTs());
        byte[] stored = store.get(record.key());
        EncodedState encoded;
        byte[] snapshot;
        long eventTs;
        try {
            VersionedState current =
                    stored == null ? new VersionedState(aggregator.newState(), 0) : stateCodec.decodeVersioned(stored);
            EntityState state = current.state();
            aggregator.add(state, event.getEventTs(), event.getFields(), judgedBy);
            encoded = stateCodec.encode(current.next());
            eventTs = state.getLatestEventTs();
            snapshot = snapshotCodec.encode(
                    view, record.key(), eventTs, clock.millis(), encoded, aggregator.evaluate(state, eventTs));
        } catch (RuntimeException e) {
            deadLetter(record, unexpected.rejection(e));
            return;
        }
        store.put(record.key(), encoded.bytes());
        context.forward(new Record<>(record.key(), snapshot, eventTs), snapshotNode);
        snapshots.increment();
    }

    private void deadLetter(Record<String, RoutedEvent> record, UnexpectedErrors.Rejection why) {
        RoutedEvent event = record.value();
        metrics.deadLetter(why.reason(), sourceName);
        context.forward(
                DeadLetter.of(
                        record.key().getBytes(StandardCharsets.UTF_8),
                        asJson(event),
                        record.timestamp(),
                        why.reason(),
                        why.message(),
                        event.getSourceTopic(),
                        event.getSourcePartition(),
                        event.getSourceOffset(),
                        view),
                deadLetterNode);
    }

    private static byte[] asJson(RoutedEvent event) {
        Map<String, Object> body = new LinkedHashMap<>(event.getFields());
        body.put("_event_ts", event.getEventTs());
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a decoded event as JSON", e);
        }
    }
}
