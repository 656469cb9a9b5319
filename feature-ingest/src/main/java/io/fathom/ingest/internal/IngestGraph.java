package io.fathom.ingest.internal;

import io.fathom.core.TileAggregator;
import io.fathom.core.ViewPlan;
import io.fathom.core.decode.EventDecoder;
import io.fathom.core.decode.EventDecoders;
import io.fathom.ingest.IngestMetrics;
import io.fathom.ingest.IngestTopics;
import io.fathom.ingest.WatermarkSettings;
import io.fathom.schemas.EntityDefinition;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.SourceDefinition;
import io.fathom.schemas.ViewDefinition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/** Wires the nodes of the ingest topology (see {@link io.fathom.ingest.IngestTopology}). */
public final class IngestGraph {
    private static final String DEAD_LETTERS = "dead-letters";
    /** Room for a task's one watermark entry in its write-behind cache. */
    private static final long WATERMARK_CACHE_BYTES = 1024;

    private IngestGraph() {}

    /**
     * @param stateCacheBytes the states each view keeps in memory in front of RocksDB, in bytes, shared by the view's
     *     tasks (one per partition of its re-keyed topic); changed states are written at each commit
     */
    public static Topology build(
            FeatureDefinitions definitions,
            IngestTopics topics,
            WatermarkSettings watermarks,
            Clock clock,
            IngestMetrics metrics,
            long stateCacheBytes) {
        Topology topology = new Topology();
        Serde<String> keys = Serdes.String();
        Serde<io.fathom.ingest.internal.avro.RoutedEvent> routed = IngestSerdes.routedEvent();
        List<String> deadLetterParents = new ArrayList<>();

        for (SourceDefinition source : definitions.sources()) {
            List<ViewDefinition> views = definitions.viewsOf(source);
            if (views.isEmpty()) {
                continue;
            }
            String sourceNode = "source-" + source.name();
            String decodeNode = "decode-" + source.name();
            topology.addSource(sourceNode, new ByteArrayDeserializer(), new ByteArrayDeserializer(), source.topic());
            List<ViewRoute> routes = new ArrayList<>();
            Set<String> neededFields = new LinkedHashSet<>();
            neededFields.add(source.timestampField());
            for (ViewDefinition view : views) {
                EntityDefinition entity = definitions.entityOf(view);
                neededFields.addAll(entity.keys());
                neededFields.addAll(ViewPlan.of(view).fields());
                routes.add(new ViewRoute(view, entity, "aggregate-" + view.name(), "rekey-" + view.name()));
            }
            EventDecoder decoder = EventDecoders.forSource(source, neededFields);
            topology.addProcessor(
                    decodeNode,
                    () -> new DecodeProcessor(source, decoder, routes, DEAD_LETTERS, metrics, topics.partitions()),
                    sourceNode);
            deadLetterParents.add(decodeNode);
            for (ViewRoute route : routes) {
                topology.addSink(
                        route.rekeyNode(),
                        topics.rekeyed(route.view()),
                        keys.serializer(),
                        routed.serializer(),
                        decodeNode);
            }
            for (ViewDefinition view : views) {
                deadLetterParents.add(addAggregation(
                        topology,
                        view,
                        source,
                        decodeNode,
                        topics,
                        watermarks,
                        clock,
                        metrics,
                        routed,
                        stateCacheBytes / topics.partitions()));
            }
        }
        topology.addSink(
                DEAD_LETTERS,
                topics.deadLetterTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer(),
                deadLetterParents.toArray(String[]::new));
        return topology;
    }

    private static String addAggregation(
            Topology topology,
            ViewDefinition view,
            SourceDefinition source,
            String decodeNode,
            IngestTopics topics,
            WatermarkSettings watermarks,
            Clock clock,
            IngestMetrics metrics,
            Serde<io.fathom.ingest.internal.avro.RoutedEvent> routed,
            long taskCacheBytes) {
        String rekeyedNode = "rekeyed-" + view.name();
        String aggregateNode = "aggregate-" + view.name();
        String snapshotNode = "snapshots-" + view.name();
        String storeName = IngestTopics.stateStore(view);
        String watermarkStore = "watermark-" + view.name();
        TileAggregator aggregator = new TileAggregator(ViewPlan.of(view));
        topology.addSource(rekeyedNode, Serdes.String().deserializer(), routed.deserializer(), topics.rekeyed(view));
        topology.addProcessor(
                aggregateNode,
                () -> new ViewProcessor(
                        aggregator,
                        storeName,
                        snapshotNode,
                        DEAD_LETTERS,
                        source.name(),
                        new TaskWatermark(
                                watermarkStore,
                                view.name(),
                                watermarks.idleTimeout(),
                                watermarks.partitionsOf(source.topic()),
                                clock),
                        clock,
                        metrics),
                decodeNode,
                rekeyedNode);
        topology.addStateStore(
                WriteBehindStore.builder(
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(storeName), Serdes.String(), Serdes.ByteArray())
                                .withCachingDisabled(),
                        taskCacheBytes),
                aggregateNode);
        // One small value per task, changelogged: in memory, restored from the changelog after a restart.
        topology.addStateStore(
                WriteBehindStore.builder(
                        Stores.keyValueStoreBuilder(
                                        Stores.inMemoryKeyValueStore(watermarkStore),
                                        Serdes.String(),
                                        Serdes.ByteArray())
                                .withCachingDisabled(),
                        WATERMARK_CACHE_BYTES),
                aggregateNode);
        topology.addSink(
                snapshotNode,
                topics.snapshots(view),
                Serdes.String().serializer(),
                new ByteArraySerializer(),
                aggregateNode);
        return aggregateNode;
    }
}
