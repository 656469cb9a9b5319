package io.fathom.monitor.internal;

import io.fathom.monitor.MonitorException;
import io.fathom.monitor.MonitorListener;
import io.fathom.monitor.MonitorSerdes;
import io.fathom.monitor.MonitorTopics;
import io.fathom.schemas.FeatureDefinitions;
import io.fathom.schemas.MonitorDefinition;
import io.fathom.schemas.MonitorDefinition.BiasMonitor;
import io.fathom.schemas.MonitorDefinition.DriftMonitor;
import io.fathom.schemas.ViewDefinition;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** Builds the monitor's topology; see {@code io.fathom.monitor.MonitorTopology}. */
public final class MonitorGraph {
    /** The global store of baselines (view → JSON), on every instance. */
    public static final String BASELINES_STORE = "baselines";

    private MonitorGraph() {}

    /**
     * @param snapshotPartitions the partition count of each view's snapshot topic, where known: a view whose topic
     *     has one partition is read by the drift windows' own task; every other view is re-keyed by view first
     * @param idleTimeout how long a snapshot topic's partition may send nothing before it stops holding its view's
     *     watermark back, measured by {@code clock}
     */
    public static Topology build(
            FeatureDefinitions definitions,
            MonitorTopics topics,
            MonitorListener listener,
            Map<String, Integer> snapshotPartitions,
            Duration idleTimeout,
            Clock clock) {
        StreamsBuilder builder = new StreamsBuilder();
        // values as bytes: the drift windows tell an unchanged baseline by its array, without decoding it
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(BASELINES_STORE), Serdes.String(), Serdes.ByteArray())
                        .withLoggingDisabled(),
                topics.baselines(),
                Consumed.with(Serdes.String(), Serdes.String()).withName("baselines-source"),
                () -> new BaselineStoreUpdater(BASELINES_STORE, listener));

        Map<String, DriftMonitor> drift = new LinkedHashMap<>();
        List<BiasMonitor> bias = new ArrayList<>();
        for (MonitorDefinition monitor : definitions.monitors()) {
            if (monitor instanceof DriftMonitor d) {
                if (drift.put(d.view(), d) != null) {
                    throw new MonitorException("view " + d.view() + " has more than one drift monitor");
                }
            } else if (monitor instanceof BiasMonitor b) {
                bias.add(b);
            }
        }
        if (!drift.isEmpty()) {
            buildDrift(
                    builder,
                    definitions,
                    drift,
                    topics,
                    listener,
                    new ViewClockStore.WatermarkSettings(idleTimeout, snapshotPartitions, clock));
        }
        for (BiasMonitor monitor : bias) {
            BiasGraph.build(builder, monitor, topics, listener);
        }
        return builder.build();
    }

    /**
     * Each view's snapshots, decoded, into the drift windows. Every window of a view must live in one task. A
     * view whose snapshot topic has one partition is read by that task directly, and decoded straight into its
     * windows ({@link DirectDriftProcessor}); the others are decoded, then re-keyed by view through the repartition
     * topic {@code drift-samples-by-view} (a view's samples land in one of its partitions). The windows' processors
     * share their stores, so they form one sub-topology, whose task {@code i} reads partition {@code i} of every topic
     * in it.
     */
    private static void buildDrift(
            StreamsBuilder builder,
            FeatureDefinitions definitions,
            Map<String, DriftMonitor> monitors,
            MonitorTopics topics,
            MonitorListener listener,
            ViewClockStore.WatermarkSettings watermarks) {
        Map<String, Integer> snapshotPartitions = watermarks.snapshotPartitions();
        DriftProcessor.Stores stores =
                new DriftProcessor.Stores("drift-windows", "drift-clocks", "drift-alert-states", BASELINES_STORE);
        builder.addStateStore(FlushOnCommitStore.builder(backingStore(stores.windows()), OpenWindowStore::new));
        builder.addStateStore(FlushOnCommitStore.builder(
                backingStore(stores.clocks()), backing -> new ViewClockStore(backing, watermarks)));
        builder.addStateStore(backingStore(stores.alerts()));
        KStream<String, Output> outputs = null;
        KStream<String, DriftSample> rekeyed = null;
        for (String view : monitors.keySet()) {
            ViewDefinition definition = definitions
                    .view(view)
                    .orElseThrow(() -> new MonitorException("drift monitor of unknown view " + view));
            KStream<byte[], byte[]> snapshots = builder.stream(
                    definition.snapshotTopic(),
                    Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("snapshots-" + view));
            if (Integer.valueOf(1).equals(snapshotPartitions.get(view))) {
                KStream<String, Output> direct = snapshots.process(
                        () -> new DirectDriftProcessor(view, monitors, stores, listener),
                        Named.as("drift-windows-" + view),
                        stores.windows(),
                        stores.clocks(),
                        stores.alerts());
                outputs = outputs == null ? direct : outputs.merge(direct, Named.as("merge-drift-outputs-" + view));
            } else {
                KStream<String, Output> decoded = snapshots.process(
                        () -> new SnapshotDecoder(view, listener), Named.as("decode-snapshots-" + view));
                KStream<String, DriftSample> good = route(decoded, topics, "decoded-" + view)
                        .mapValues(o -> ((Output.Sample) o).sample(), Named.as("snapshot-values-" + view));
                rekeyed = rekeyed == null ? good : rekeyed.merge(good, Named.as("merge-snapshots-" + view));
            }
        }
        if (rekeyed != null) {
            // Named anew when its records changed from stripped FeatureSnapshots to DriftSamples, so that an
            // upgraded instance never reads the old format.
            KStream<String, Output> windows = rekeyed.repartition(
                            Repartitioned.with(Serdes.String(), DriftSample.serde())
                                    .withName("drift-samples-by-view"))
                    .process(
                            () -> new DriftProcessor(monitors, stores, listener),
                            Named.as("drift-windows"),
                            stores.windows(),
                            stores.clocks(),
                            stores.alerts());
            outputs = outputs == null ? windows : outputs.merge(windows, Named.as("merge-drift-outputs"));
        }
        route(outputs, topics, "drift-outputs");
    }

    private static StoreBuilder<KeyValueStore<String, byte[]>> backingStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray());
    }

    /**
     * Sends dead letters, reports and alerts to their topics; returns the rest (values for the next step).
     */
    static KStream<String, Output> route(KStream<String, Output> stream, MonitorTopics topics, String name) {
        Map<String, KStream<String, Output>> branches = stream.split(Named.as(name + "-"))
                .branch(
                        (k, v) -> v instanceof Output.DeadLetter,
                        Branched.<String, Output>withConsumer(
                                s -> s.map(
                                                (k, v) -> KeyValue.pair(
                                                        ((Output.DeadLetter) v).key(), ((Output.DeadLetter) v).value()),
                                                Named.as(name + "-dead-letter-values"))
                                        .to(
                                                topics.deadLetters(),
                                                Produced.with(Serdes.ByteArray(), Serdes.ByteArray())
                                                        .withName(name + "-sink-dead-letters")),
                                "dlq"))
                .branch(
                        (k, v) -> v instanceof Output.Drift,
                        Branched.<String, Output>withConsumer(
                                s -> s.mapValues(v -> ((Output.Drift) v).report(), Named.as(name + "-drift-values"))
                                        .to(
                                                topics.driftReports(),
                                                Produced.with(Serdes.String(), MonitorSerdes.driftReport())
                                                        .withName(name + "-sink-drift-reports")),
                                "drift"))
                .branch(
                        (k, v) -> v instanceof Output.Bias,
                        Branched.<String, Output>withConsumer(
                                s -> s.mapValues(v -> ((Output.Bias) v).report(), Named.as(name + "-bias-values"))
                                        .to(
                                                topics.biasReports(),
                                                Produced.with(Serdes.String(), MonitorSerdes.biasReport())
                                                        .withName(name + "-sink-bias-reports")),
                                "bias"))
                .branch(
                        (k, v) -> v instanceof Output.Alert,
                        Branched.<String, Output>withConsumer(
                                s -> s.mapValues(v -> ((Output.Alert) v).event(), Named.as(name + "-alert-values"))
                                        .to(
                                                topics.alerts(),
                                                Produced.with(Serdes.String(), MonitorSerdes.alertEvent())
                                                        .withName(name + "-sink-alerts")),
                                "alerts"))
                .defaultBranch(Branched.as("rest"));
        return branches.get(name + "-rest");
    }
}
