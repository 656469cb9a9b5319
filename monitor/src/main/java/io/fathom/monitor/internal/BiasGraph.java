package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.MonitorTopics;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The bias part of the topology, one per bias monitor: predictions (and labels) decoded, merged and
 * re-keyed by id (one repartition, so both sides are co-partitioned), joined, then re-keyed by model
 * into per-window group counts.
 */
final class BiasGraph {
    private BiasGraph() {}

    static void build(StreamsBuilder builder, BiasMonitor monitor, MonitorTopics topics, MonitorListener listener) {
        String name = "bias-" + monitor.model().replaceAll("[^a-zA-Z0-9._-]", "_");
        KStream<String, Output> predictions = builder.stream(
                        monitor.predictions(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(name + "-predictions"))
                .process(
                        () -> new BiasDecoders.Predictions(monitor.protectedAttributes(), listener),
                        Named.as(name + "-decode-predictions"));
        KStream<String, Contribution> contributions;
        if (monitor.labels().isPresent()) {
            KStream<String, Output> labels = builder.stream(
                            monitor.labels().get(),
                            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                                    .withName(name + "-labels"))
                    .process(() -> new BiasDecoders.Labels(listener), Named.as(name + "-decode-labels"));
            KStream<String, BiasInput> inputs = MonitorGraph.route(predictions, topics, name + "-predictions-out")
                    .merge(MonitorGraph.route(labels, topics, name + "-labels-out"), Named.as(name + "-merge-inputs"))
                    .mapValues(o -> ((Output.BiasIn) o).input(), Named.as(name + "-inputs"));
            String pending = name + "-pending";
            String expiries = name + "-expiries";
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(pending), Serdes.String(), Serdes.ByteArray()));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(expiries), Serdes.String(), Serdes.String()));
            contributions = inputs.repartition(Repartitioned.with(Serdes.String(), BiasInput.serde())
                            .withName(name + "-by-id"))
                    .process(
                            () -> new BiasJoinProcessor(
                                    monitor.model(), monitor.labelDelay(), pending, expiries, listener),
                            Named.as(name + "-join"),
                            pending,
                            expiries)
                    .mapValues(o -> ((Output.Counted) o).contribution(), Named.as(name + "-contributions"));
        } else {
            contributions = MonitorGraph.route(predictions, topics, name + "-predictions-out")
                    .map(
                            (id, o) -> KeyValue.pair(monitor.model(), Contribution.prediction((BiasInput.Prediction)
                                    ((Output.BiasIn) o).input())),
                            Named.as(name + "-contributions"));
        }
        BiasWindowProcessor.Stores stores =
                new BiasWindowProcessor.Stores(name + "-windows", name + "-clocks", name + "-alert-states");
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.windows()), Serdes.String(), Serdes.ByteArray()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.clocks()), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(stores.alerts()), Serdes.String(), Serdes.ByteArray()));
        KStream<String, Output> outputs = contributions
                .repartition(Repartitioned.with(Serdes.String(), Contribution.serde())
                        .withName(name + "-by-model"))
                .process(
                        () -> new BiasWindowProcessor(monitor, stores, listener),
                        Named.as(name + "-windows-process"),
                        stores.windows(),
                        stores.clocks(),
                        stores.alerts());
        MonitorGraph.route(outputs, topics, name + "-outputs");
    }
}
